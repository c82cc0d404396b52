/**
 * Shared types of the histogram tree engine (binner → histogram → split finder → grower →
 * flat predictor), after LightGBM (Ke et al. 2017) and scikit-learn's HistGradientBoosting,
 * and the flat tree layout every tree learner stores, saves and explains (FlatTree,
 * TreeEnsemble): it belongs to the engine, the learners above it only use it.
 */

/**
 * Per-feature bin boundaries learned by the binner. Feature `f` has `nBins[f]` value bins
 * (1..255); bin `b` holds the values `x` with `edges[f][b-1] < x <= edges[f][b]` (the last
 * value bin is unbounded above). Missing values (NaN) go to the extra bin `nBins[f]`.
 * Edges are float32 raw feature values, so a split "bin <= b" is exactly the raw rule
 * "x <= edges[f][b]" of a FlatTree.
 */
export interface BinMapper {
  readonly nFeatures: number;
  readonly nBins: Int32Array;
  readonly edges: readonly Float32Array[];
  /** 1 when the feature had missing values in the training data. */
  readonly hasMissing: Uint8Array;
}

/**
 * Training data after binning. Feature-major `Uint8Array` bins (one column of `nRows` bytes
 * per feature) are what the partitioner, the dense histogram kernels and the forest read.
 *
 * For boosting, sparse features (most rows in one "default" bin: one-hot columns, mostly-zero
 * counts and rates) are also indexed row-wise: for each row, the histogram slots of its
 * non-default bins (LightGBM's sparse / multi-value bins). Their default-bin statistics are
 * never accumulated; the split finder derives them as node total minus the other bins. Where
 * this departs from style.md's "feature-major only": one-hot NSL-KDD has ~11 non-default
 * bins per row against 119 features, so a histogram pass touches ~10× fewer cells.
 */
export interface BinnedData {
  readonly nRows: number;
  readonly nFeatures: number;
  readonly mapper: BinMapper;
  /** Feature-major bins: feature f's bins are `bins[f*nRows .. (f+1)*nRows)`. */
  readonly bins: Uint8Array;
  /** Histogram layout: feature f owns slots `slotOffset[f] .. slotOffset[f] + nBins[f]` (the last = missing). Length nFeatures + 1. */
  readonly slotOffset: Int32Array;
  readonly totalSlots: number;
  /** Most frequent bin of each feature in the training data. */
  readonly defaultBin: Int32Array;
  /** 1 when the feature is stored sparse (row-wise index; default bin derived). */
  readonly sparse: Uint8Array;
  /** 1 when the feature takes at least two bins in training (others can never split). */
  readonly usable: Uint8Array;
  /** Usable features stored dense / sparse, ascending. */
  readonly denseFeatures: Int32Array;
  readonly sparseFeatures: Int32Array;
  /** Row-wise index of sparse features' non-default bins: row r's global slots are `rowSlots[rowPtr[r] .. rowPtr[r+1])`. */
  readonly rowPtr: Uint32Array;
  readonly rowSlots: Uint32Array;
  /** Row of each entry of `rowSlots` (lets a pass over a whole range of rows run as one flat loop). */
  readonly entryRow: Uint32Array;
  /**
   * Column-wise index of sparse features (the forest's): feature f's rows with a non-default
   * bin are colRows[colPtr[f] .. colPtr[f+1]) (ascending), their bins in colBins. Empty when
   * not built (colPtr all zero).
   */
  readonly colPtr: Int32Array;
  readonly colRows: Uint32Array;
  readonly colBins: Uint8Array;
}

/**
 * A flat decision tree: parallel typed arrays, node 0 = root.
 * A node is a leaf when `feature[i] === -1`. Split rule: go left when
 * `x[feature] <= threshold`; missing (NaN) goes left when `defaultLeft[i] === 1`.
 */
export interface FlatTree {
  readonly nNodes: number;
  readonly feature: Int32Array;
  readonly threshold: Float32Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly defaultLeft: Uint8Array;
  /** nNodes × nOutputs node values (leaves: the output; internal nodes: cover-weighted mean). */
  readonly value: Float64Array;
  /** Training weight reaching each node (hessian sum for boosting, sample count for forests). */
  readonly cover: Float64Array;
  /** Split gain per node (0 for leaves) — for gain importance. */
  readonly gain: Float64Array;
  readonly nOutputs: number;
}

/**
 * A tree ensemble as TreeSHAP and importance see it. Raw output per output index o:
 *   raw[o] = baseScore[o] + scale × Σ_t (tree t's leaf value for o)
 * where a tree with treeOutput[t] = c adds only to output c (boosting, multi-class),
 * and treeOutput[t] = -1 means its leaves hold a vector for all outputs (forests).
 * `link` maps raw outputs to probabilities; 'none' when they are a score of the learner's own
 * that is neither a margin nor a probability (an isolation forest's summed path lengths, which
 * the learner maps to its anomaly score): the predictor and TreeSHAP work on raw outputs and do
 * not read the link, rawToProba does not apply.
 */
export interface TreeEnsemble {
  readonly trees: readonly FlatTree[];
  readonly treeOutput: Int32Array;
  readonly nOutputs: number;
  readonly baseScore: Float64Array;
  readonly scale: number;
  /** 'logit': binary, one output = log-odds of class 1; 'softmax': one output per class; 'identity': outputs are probabilities; 'none': see above. */
  readonly link: 'logit' | 'softmax' | 'identity' | 'none';
  readonly nFeatures: number;
}

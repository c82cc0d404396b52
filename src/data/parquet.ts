import { nadirErrorWithCause } from '../errors.js';
import { ColumnBuilder } from './column-builder.js';
import type { RawColumns } from './csv.js';

/**
 * Parquet through DuckDB (`@duckdb/node-api`, native binary shipped in the npm package).
 * Rows are read chunk by chunk (DuckDB vectors of ≤2048 rows) into typed column builders.
 */
export async function readParquet(path: string): Promise<RawColumns> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const escaped = path.replace(/'/g, "''");
    let result;
    try {
      result = await conn.stream(`SELECT * FROM read_parquet('${escaped}')`);
    } catch (e) {
      throw nadirErrorWithCause('NADIR_ERR_BAD_FORMAT', e, path, `not a readable Parquet file (${(e as Error).message.split('\n')[0]})`);
    }
    const names = result.columnNames();
    const builders = names.map((n) => new ColumnBuilder(n, 4096));
    let nRows = 0;
    for (;;) {
      let chunk;
      try {
        chunk = await result.fetchChunk();
      } catch (e) {
        throw nadirErrorWithCause('NADIR_ERR_BAD_FORMAT', e, path, `Parquet data unreadable after row ${nRows} (${(e as Error).message.split('\n')[0]})`);
      }
      if (!chunk || chunk.rowCount === 0) break;
      const cols = chunk.getColumns();
      for (let c = 0; c < builders.length; c++) {
        const b = builders[c]!;
        const col = cols[c]!;
        for (let r = 0; r < chunk.rowCount; r++) {
          const v = col[r];
          if (v === null || v === undefined) b.pushMissing();
          else if (typeof v === 'number') b.pushNumber(v);
          else if (typeof v === 'bigint') b.pushNumber(Number(v));
          else if (typeof v === 'boolean') b.pushNumber(v ? 1 : 0);
          else if (typeof (v as { toDouble?: unknown }).toDouble === 'function') b.pushNumber((v as { toDouble: () => number }).toDouble());
          else b.pushCell(String(v), nRows + r + 1);
        }
      }
      nRows += chunk.rowCount;
    }
    return { header: names, builders, nRows, skippedRows: 0, skippedExamples: [], width: names.length };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

"""NSL-KDD loading and encoding shared by the Python peers.

Binary task: attack (any label other than 'normal') = 1. Features: the 41 NSL-KDD columns
(difficulty dropped), protocol_type/service/flag one-hot encoded with the categories of the
training file (unseen test categories → all zeros, sklearn's handle_unknown='ignore') — the
118-column encoding the product's reference figures were measured with.
"""
import numpy as np
import pandas as pd
from sklearn.preprocessing import OneHotEncoder, StandardScaler

COLUMNS = [
    'duration', 'protocol_type', 'service', 'flag', 'src_bytes', 'dst_bytes', 'land', 'wrong_fragment', 'urgent',
    'hot', 'num_failed_logins', 'logged_in', 'num_compromised', 'root_shell', 'su_attempted', 'num_root',
    'num_file_creations', 'num_shells', 'num_access_files', 'num_outbound_cmds', 'is_host_login', 'is_guest_login',
    'count', 'srv_count', 'serror_rate', 'srv_serror_rate', 'rerror_rate', 'srv_rerror_rate', 'same_srv_rate',
    'diff_srv_rate', 'srv_diff_host_rate', 'dst_host_count', 'dst_host_srv_count', 'dst_host_same_srv_rate',
    'dst_host_diff_srv_rate', 'dst_host_same_src_port_rate', 'dst_host_srv_diff_host_rate', 'dst_host_serror_rate',
    'dst_host_srv_serror_rate', 'dst_host_rerror_rate', 'dst_host_srv_rerror_rate', 'label', 'difficulty',
]
CATEGORICAL = ['protocol_type', 'service', 'flag']


def read(path):
    """A headerless NSL-KDD(-like) CSV, optionally gzipped."""
    return pd.read_csv(path, header=None, names=COLUMNS)


class Encoder:
    """One-hot of the categorical columns fitted on training data; numeric columns optionally standardised."""

    def __init__(self, scale=False):
        self.scale = scale

    def fit(self, df):
        self.numeric = [c for c in COLUMNS[:41] if c not in CATEGORICAL]
        self.onehot = OneHotEncoder(handle_unknown='ignore', sparse_output=False, dtype=np.float32)
        self.onehot.fit(df[CATEGORICAL])
        if self.scale:
            self.scaler = StandardScaler().fit(df[self.numeric].to_numpy(np.float64))
        return self

    def transform(self, df, dtype=np.float32):
        num = df[self.numeric].to_numpy(np.float64)
        if self.scale:
            num = self.scaler.transform(num)
        return np.ascontiguousarray(np.hstack([num.astype(dtype), self.onehot.transform(df[CATEGORICAL]).astype(dtype)]))


def target(df):
    return (df['label'] != 'normal').to_numpy(np.int32)

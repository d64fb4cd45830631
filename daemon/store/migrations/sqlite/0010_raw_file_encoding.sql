-- arcd schema 10: how a raw file's chunks are stored. 'identity': the bytes as received (files
-- stored before this version); 'zstd': each chunk is one zstd frame of up to 8 MiB of the file.
ALTER TABLE raw_files ADD COLUMN encoding TEXT NOT NULL DEFAULT 'identity';

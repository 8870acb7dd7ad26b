-- evidcheck store, schema version 1: the base that migrations/NNN.sql build
-- on (PRAGMA user_version counts the steps applied).
-- Written by store/store.c in one transaction; see docs/store.md.

-- Every file ever scanned, by content.
CREATE TABLE file (
  sha256   TEXT PRIMARY KEY,
  size     INTEGER NOT NULL,
  kind     TEXT NOT NULL,
  n_pages  INTEGER NOT NULL
);

-- Text read from a page, cached per engine setting so an unchanged file is
-- never OCR'd twice; a change of engine or settings gives a new engine key.
CREATE TABLE page (
  sha256     TEXT NOT NULL REFERENCES file(sha256),
  page       INTEGER NOT NULL,
  engine     TEXT NOT NULL,   -- 'pdf_text' or the OCR engine key
  source     TEXT NOT NULL,   -- 'pdf_text' | 'ocr' | 'none'
  text       TEXT NOT NULL,
  confidence REAL NOT NULL,
  PRIMARY KEY (sha256, page, engine)
);

-- One row per run of `evidcheck scan` on a claim.
CREATE TABLE scan (
  id          INTEGER PRIMARY KEY,
  claim_id    TEXT NOT NULL,
  folder      TEXT NOT NULL,
  policy      TEXT NOT NULL,
  direction   TEXT,
  verdict     TEXT NOT NULL,
  scanned_at  TEXT NOT NULL,   -- ISO 8601 UTC
  report_json TEXT NOT NULL
);
CREATE INDEX scan_claim ON scan(claim_id);

-- The files a scan saw, under the names the claim gave them.
CREATE TABLE scan_file (
  scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
  path    TEXT NOT NULL,
  sha256  TEXT NOT NULL,
  error   TEXT,
  PRIMARY KEY (scan_id, path)
);
CREATE INDEX scan_file_sha ON scan_file(sha256);

CREATE TABLE document (
  scan_id     INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
  file        TEXT NOT NULL,
  first_page  INTEGER NOT NULL,
  last_page   INTEGER NOT NULL,
  type        TEXT NOT NULL,
  confidence  REAL NOT NULL,
  fields_json TEXT NOT NULL
);
CREATE INDEX document_scan ON document(scan_id);

CREATE TABLE finding (
  scan_id   INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
  code      TEXT NOT NULL,
  severity  TEXT NOT NULL,
  item      TEXT,
  message   TEXT NOT NULL,
  refs_json TEXT NOT NULL
);
CREATE INDEX finding_code ON finding(code);

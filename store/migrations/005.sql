-- Schema version 5: what the cross-claim rules (checks.ini kinds
-- duplicate, contract_limit, quota) compare a claim with. Each scan keeps
-- the claim's facts (parties, direction, scene, dates, amounts) and its
-- evidence keys (invoice numbers, bank serials, file hashes, page text
-- hashes and image hashes), written with the scan in its one transaction;
-- only the latest scan of each claim is compared. The page cache keeps
-- the page image's perceptual hash so a re-scan from the cache has it.
ALTER TABLE page ADD COLUMN phash INTEGER NOT NULL DEFAULT 0;

CREATE TABLE scan_fact (
  scan_id          INTEGER PRIMARY KEY REFERENCES scan(id) ON DELETE CASCADE,
  enterprise_name  TEXT,
  enterprise_code  TEXT,   -- unified social credit code
  enterprise_tier  TEXT,   -- claim.json enterprise.tier, as declared
  provider_name    TEXT,
  provider_code    TEXT,
  direction        TEXT,
  scene            TEXT,
  signed_on        TEXT,   -- ISO date the contract was signed
  contract_amount  TEXT,   -- decimal yuan
  voucher_amount   TEXT,   -- decimal yuan
  accepted_on      TEXT    -- ISO date of acceptance
);

CREATE TABLE scan_key (
  scan_id INTEGER NOT NULL REFERENCES scan(id) ON DELETE CASCADE,
  kind    TEXT NOT NULL,   -- invoice_number | bank_serial | sha256 |
                           -- text_hash | phash
  value   TEXT NOT NULL,   -- phash: 16 hex digits
  file    TEXT NOT NULL,   -- the claim's own name for the file
  page    INTEGER NOT NULL,-- 1-based; 0 for a whole file (sha256)
  type    TEXT             -- the page's document type, when known
);
CREATE INDEX scan_key_value ON scan_key(kind, value);
CREATE INDEX scan_key_scan ON scan_key(scan_id);

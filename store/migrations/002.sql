-- Schema version 2: what OCR found on a page besides its text, so that a
-- re-scan needs neither OCR nor a render: word boxes (for highlighting),
-- red seals, and the rotation that made the page upright.
ALTER TABLE page ADD COLUMN words_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE page ADD COLUMN seals_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE page ADD COLUMN rotation INTEGER NOT NULL DEFAULT 0;

-- Schema version 3: the QR codes decoded on a page (VAT invoices carry
-- one holding their number, amount and date), so a re-scan has them
-- without a render. A JSON array of payload strings.
ALTER TABLE page ADD COLUMN codes_json TEXT NOT NULL DEFAULT '[]';

-- Schema version 4: the second reading of a text-layer page's key fields
-- (types.ini "verify"): what OCR read of the line where the layer puts a
-- field's value, so that a re-scan compares the two without a render or
-- OCR. Keyed by the words the layer holds there, as written: an edited
-- layer, or rules that pick another value, read again.
CREATE TABLE page_verify (
  sha256     TEXT NOT NULL REFERENCES file(sha256),
  page       INTEGER NOT NULL,
  engine     TEXT NOT NULL,   -- OCR engine key and crop version
  field      TEXT NOT NULL,   -- field name of types.ini
  layer      TEXT NOT NULL,   -- the layer's words read again, as written
  image      TEXT,            -- what OCR read there; NULL: nothing legible
  confidence REAL NOT NULL,   -- Tesseract's, of its least sure character
  image2     TEXT,            -- a second look at another resolution, taken
  confidence2 REAL NOT NULL,  -- when the first did not show the layer's
                              -- value; NULL and 0 when not taken
  PRIMARY KEY (sha256, page, engine, field, layer)
);

-- Schema version 6: the version of the rules each scan was checked with
-- (scan_context_rules_version: a SHA-256 of the edition's types.ini,
-- evidence.ini and checks.ini), so `evidcheck batch` can tell a claim
-- whose files and rules are both unchanged (skipped) from one whose rules
-- changed (checked again, from the OCR cache). NULL: a scan made before
-- version 6, or by a run that did not say; such a scan is never skipped.
ALTER TABLE scan ADD COLUMN rules_version TEXT;

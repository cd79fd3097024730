-- A platform family has one spelling, lower case (the API lower-cases it on input since this
-- release). Rows stored before keep working: each is lower-cased unless a row already holds the
-- lower-case spelling of the same key, in which case it is left as it was rather than merged or
-- dropped (an operator decides which of the two to keep). Data only: the schema is unchanged.
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT "id" FROM "SoftwareImage" WHERE "platformFamily" <> lower("platformFamily") LOOP
    BEGIN
      UPDATE "SoftwareImage" SET "platformFamily" = lower("platformFamily") WHERE "id" = r."id";
    EXCEPTION WHEN unique_violation THEN
      RAISE NOTICE 'SoftwareImage % kept its platform family spelling: the lower-case key is taken', r."id";
    END;
  END LOOP;
  FOR r IN SELECT "id" FROM "CompatibilityEntry" WHERE "platformFamily" <> lower("platformFamily") LOOP
    BEGIN
      UPDATE "CompatibilityEntry" SET "platformFamily" = lower("platformFamily") WHERE "id" = r."id";
    EXCEPTION WHEN unique_violation THEN
      RAISE NOTICE 'CompatibilityEntry % kept its platform family spelling: the lower-case key is taken', r."id";
    END;
  END LOOP;
END $$;

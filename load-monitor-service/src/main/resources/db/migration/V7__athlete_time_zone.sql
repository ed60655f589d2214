-- CONTRACT v2: the athlete's IANA time zone from enrolment (null when not given); the rules' "day" is the
-- athlete's, else the clinic's (DOMAIN.md rules v2). Athletes enrolled before keep null.
ALTER TABLE athlete ADD COLUMN time_zone text;

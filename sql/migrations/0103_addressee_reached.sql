-- Whether the drawn site lies on one of an addressee's units (a plot the drawing reaches into,
-- not the applicant's own): the hearing's table and package say so instead of "adjacent" (the
-- stored relation stays "adjacent", a contract). Addressees made before this column get it
-- from the English reason the neighbour list wrote for such a unit (geo.neighbours.reaches_reason).
ALTER TABLE personal.hearing_addressee ADD COLUMN reached boolean NOT NULL DEFAULT false;
UPDATE personal.hearing_addressee SET reached = true
WHERE relation = 'adjacent' AND strpos(reason, 'the drawn site reaches onto it: ') > 0;

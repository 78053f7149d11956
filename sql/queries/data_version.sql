-- The data version an analysis is computed on: the latest import (its id and time).
SELECT id, finished_at FROM import_log ORDER BY id DESC LIMIT 1;

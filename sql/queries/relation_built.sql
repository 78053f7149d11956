-- Record the rules a municipality's opposite neighbours were built with. A part rebuilt with
-- other rules than the rest makes the whole municipality 'mixed': answered live until a full
-- rebuild (rajapiste db relations). Parameters: municipality, rules_key
INSERT INTO relation_build (municipality, rules_key)
VALUES (:municipality, :rules_key)
ON CONFLICT (municipality) DO UPDATE
SET rules_key = CASE WHEN relation_build.rules_key = EXCLUDED.rules_key THEN EXCLUDED.rules_key
                     ELSE 'mixed' END,
    built_at = now();

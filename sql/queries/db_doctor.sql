-- Server settings that decide how fast the spatial queries run, as this session sees them
-- (the service's own session options included), with the server's default beside them.
SELECT s.name, s.setting, s.unit, s.reset_val, s.boot_val, s.source
FROM pg_settings s
WHERE s.name IN ('jit', 'shared_buffers', 'effective_cache_size', 'work_mem',
                 'random_page_cost', 'max_parallel_workers_per_gather', 'max_connections',
                 'server_version')
ORDER BY s.name;

"""The demo city: a deterministic simulated 上海市 written through the platform's own services
(``builder.build``; docs/demo.md). Used by ``zhuisu demo`` / ``make demo``, the tests and the
benchmarks."""

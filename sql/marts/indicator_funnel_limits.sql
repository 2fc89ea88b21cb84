-- Funnel curves to draw: for every funnel in indicator_funnels (indicator × period × comparison
-- set) the limits on a log-spaced grid of about 60 denominators spanning the observed ones.
-- Computed in Python (pipeline.indicator_statistics.funnel_limit_grid).
-- Grain: one row per indicator_id × period × comparison_set × denominator.
with grid as (
    select * from int_indicator_funnel_limits_computed
),

context as (
    select * from build_context
)

select
    -- keys
    grid.indicator_id::varchar as indicator_id,
    grid.period_start_year::integer as period_start_year,
    grid.period_end_year::integer as period_end_year,
    grid.period_label::varchar as period_label,
    grid.comparison_set::varchar as comparison_set,
    grid.benchmark_code::varchar as benchmark_code,
    grid.denominator::double as denominator,
    -- benchmark and limits, in the indicator's unit
    grid.p0_value::double as p0_value,
    grid.limit_95_lower::double as limit_95_lower,
    grid.limit_95_upper::double as limit_95_upper,
    grid.limit_998_lower::double as limit_998_lower,
    grid.limit_998_upper::double as limit_998_upper,
    grid.adj_limit_95_lower::double as adj_limit_95_lower,
    grid.adj_limit_95_upper::double as adj_limit_95_upper,
    grid.adj_limit_998_lower::double as adj_limit_998_lower,
    grid.adj_limit_998_upper::double as adj_limit_998_upper,
    -- overdispersion
    grid.phi::double as phi,
    grid.tau2::double as tau2,
    grid.adjustment::varchar as adjustment,
    -- provenance
    context.is_demo
from grid
cross join context

-- Every published gemeente value of a proportion indicator in its funnel plots (METHODS.md,
-- "Funnel plots"): around the value of Nederland (all gemeenten) and of its own GGD-regio (the
-- gemeenten of that region), the 95% and 99.8% limits at the gemeente's denominator (inverted
-- Wilson score), the overdispersion estimate of the comparison set (φ, τ²) with the adjusted
-- limits, and the gemeente's position. Custom regions and other region levels are not plotted.
-- Computed in Python (pipeline.indicator_statistics.funnel_table).
-- Grain: one row per indicator_id × period × comparison_set × area_code.
with funnels as (
    select * from int_indicator_funnels_computed
),

context as (
    select * from build_context
)

select
    -- keys
    funnels.indicator_id::varchar as indicator_id,
    funnels.period_start_year::integer as period_start_year,
    funnels.period_end_year::integer as period_end_year,
    funnels.period_label::varchar as period_label,
    funnels.comparison_set::varchar as comparison_set,
    funnels.benchmark_code::varchar as benchmark_code,
    funnels.area_code::varchar as area_code,
    funnels.area_name::varchar as area_name,
    -- the gemeente
    funnels.numerator::double as numerator,
    funnels.denominator::double as denominator,
    funnels.value::double as value,
    funnels.unit::varchar as unit,
    -- benchmark and limits, in the indicator's unit
    funnels.p0_value::double as p0_value,
    funnels.limit_95_lower::double as limit_95_lower,
    funnels.limit_95_upper::double as limit_95_upper,
    funnels.limit_998_lower::double as limit_998_lower,
    funnels.limit_998_upper::double as limit_998_upper,
    funnels.adj_limit_95_lower::double as adj_limit_95_lower,
    funnels.adj_limit_95_upper::double as adj_limit_95_upper,
    funnels.adj_limit_998_lower::double as adj_limit_998_lower,
    funnels.adj_limit_998_upper::double as adj_limit_998_upper,
    -- overdispersion of the comparison set
    funnels.n_areas::integer as n_areas,
    funnels.phi::double as phi,
    funnels.tau2::double as tau2,
    funnels.adjustment::varchar as adjustment,
    -- position
    funnels.position::varchar as position,
    funnels.position_adjusted::varchar as position_adjusted,
    funnels.method::varchar as method,
    -- provenance
    context.is_demo
from funnels
cross join context

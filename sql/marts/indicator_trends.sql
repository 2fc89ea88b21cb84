-- The trend of every proportion indicator in every area over its single years (METHODS.md,
-- "Trend test", the Fingertips rule): the most recent run of at least 5 consecutive published
-- years, Cochran–Armitage χ² for trend at 99.8%, and the direction must survive leaving out any
-- one year. Computed in Python (pipeline.indicator_statistics.trend_table).
-- Grain: one row per indicator_id × area_code.
with tested as (
    select * from int_indicator_trends_tested
),

context as (
    select * from build_context
)

select
    -- keys
    tested.indicator_id::varchar as indicator_id,
    tested.area_code::varchar as area_code,
    tested.area_level::varchar as area_level,
    tested.area_name::varchar as area_name,
    -- the years used
    tested.first_year::integer as first_year,
    tested.last_year::integer as last_year,
    tested.n_points::integer as n_points,
    -- outcome
    tested.verdict::varchar as verdict,
    tested.significance::varchar as significance,
    tested.polarity::varchar as polarity,
    -- statistics
    tested.chi2::double as chi2,
    tested.p_value::double as p_value,
    tested.direction::integer as direction,
    tested.method::varchar as method,
    -- provenance
    context.is_demo
from tested
cross join context

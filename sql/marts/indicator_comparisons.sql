-- Every area's value compared with Nederland and with its own GGD-regio, at 95% and 99.8%
-- (METHODS.md, "Comparison with a benchmark"): the area's interval entirely above the
-- benchmark's value is 'hoger', entirely below 'lager', otherwise 'vergelijkbaar'; 'niet te
-- beoordelen' when the area or the benchmark has no published value or the area no interval.
-- With the indicator's polarity the significance is 'beter'/'slechter'. A gemeente is compared
-- with its own GGD-regio although the region contains it (as the UK tools do). Rates and
-- percentages only (not counts such as births).
-- Grain: one row per indicator_id × area_code × period_start_year × period_end_year ×
-- benchmark × confidence.
with area_values as (
    select * from indicator_values
),

indicators as (
    select indicator_id, polarity, unit from ref_indicators
),

area_parents as (
    select area_code, ggd_regio_code from areas
),

levels as (
    select * from (values (0.95::double), (0.998::double)) as levels (level_confidence)
),

pairs as (
    -- every area except Nederland itself against Nederland
    select
        area_values.*,
        'nederland' as benchmark,
        'NL01' as benchmark_code
    from area_values
    where area_values.area_code != 'NL01'
    union all by name
    -- gemeenten and custom regions inside one GGD-regio against that GGD-regio
    select
        area_values.*,
        'ggd_regio' as benchmark,
        area_parents.ggd_regio_code as benchmark_code
    from area_values
    inner join area_parents on area_values.area_code = area_parents.area_code
    where area_values.area_level in ('gemeente', 'regio')
        and area_parents.ggd_regio_code is not null
),

joined as (
    select
        pairs.*,
        levels.level_confidence,
        indicators.polarity,
        benchmark_values.value as benchmark_value,
        benchmark_values.area_name as benchmark_name,
        if(levels.level_confidence = 0.95, pairs.ci_lower, pairs.ci_lower_998) as level_lower,
        if(levels.level_confidence = 0.95, pairs.ci_upper, pairs.ci_upper_998) as level_upper
    from pairs
    inner join indicators on pairs.indicator_id = indicators.indicator_id
    cross join levels
    left join area_values as benchmark_values
        on pairs.indicator_id = benchmark_values.indicator_id
        and pairs.benchmark_code = benchmark_values.area_code
        and pairs.period_start_year = benchmark_values.period_start_year
        and pairs.period_end_year = benchmark_values.period_end_year
        and benchmark_values.status = 'ok'
    where indicators.unit != 'aantal'
),

compared as (
    select
        *,
        case
            when value is null or level_lower is null or level_upper is null
                or benchmark_value is null then 'niet te beoordelen'
            when level_lower > benchmark_value then 'hoger'
            when level_upper < benchmark_value then 'lager'
            else 'vergelijkbaar'
        end as comparison
    from joined
)

select
    -- keys
    indicator_id,
    area_code,
    area_level,
    area_name,
    period_start_year,
    period_end_year,
    period_label,
    benchmark,
    benchmark_code,
    benchmark_name,
    level_confidence as confidence,
    -- figures in the indicator's unit
    benchmark_value,
    value,
    level_lower as ci_lower,
    level_upper as ci_upper,
    unit,
    -- outcome
    comparison,
    case
        when polarity = 'lager is beter' and comparison = 'hoger' then 'slechter'
        when polarity = 'lager is beter' and comparison = 'lager' then 'beter'
        when polarity = 'hoger is beter' and comparison = 'hoger' then 'beter'
        when polarity = 'hoger is beter' and comparison = 'lager' then 'slechter'
        else comparison
    end as significance,
    polarity,
    case
        when level_lower is null and status = 'ok'
            then 'geen betrouwbaarheidsinterval (de bron geeft alleen percentages); '
                || 'niet te toetsen'
        else (if(level_confidence = 0.95, '95', '99,8')) || '%-betrouwbaarheidsinterval ('
            || coalesce(ci_method, 'Wilson score') || ') van het gebied vergeleken met de waarde van '
            || if(benchmark = 'nederland', 'Nederland',
                'de eigen GGD-regio (het gebied maakt er zelf deel van uit)')
    end as method,
    -- provenance
    status,
    is_demo
from compared

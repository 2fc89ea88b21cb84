-- Shared scalar macros for the staging models (loaded before any model).

-- 'GM0363' for published codes like '363', '0363', 'gm0363'; other region codes upper-cased.
create or replace macro std_area_code(code) as
    case
        when regexp_full_match(trim(code), '[0-9]{1,4}') then 'GM' || lpad(trim(code), 4, '0')
        when regexp_full_match(upper(trim(code)), 'GM[0-9]{1,4}')
            then 'GM' || lpad(substr(trim(code), 3), 4, '0')
        else upper(trim(code))
    end;

-- First and last year of '2023', '2019-2023' or '2019–2023'; null for other period codes.
create or replace macro period_start_year(label) as
    try_cast(regexp_extract(label, '^([0-9]{4})(\s*[-–]\s*[0-9]{4})?$', 1) as integer);

create or replace macro period_end_year(label) as
    try_cast(coalesce(
        nullif(regexp_extract(label, '^[0-9]{4}\s*[-–]\s*([0-9]{4})$', 1), ''),
        nullif(regexp_extract(label, '^([0-9]{4})$', 1), '')
    ) as integer);

-- ok / suppressed / missing from the raw marker; a row with no figure at all is missing.
create or replace macro source_status(marker, numerator, val) as
    case
        when marker is null and (numerator is not null or val is not null) then 'ok'
        when marker is null or trim(marker) in ('', 'NA', 'N/A', 'n.v.t.') then 'missing'
        else 'suppressed'
    end;

-- Area level from a standardised code.
create or replace macro area_level_of(code) as
    case
        when code like 'GM%' then 'gemeente'
        when code like 'GG%' then 'ggd_regio'
        when code like 'PV%' then 'provincie'
        when code = 'NL01' then 'land'
        when code like 'RG%' then 'regio'
    end;

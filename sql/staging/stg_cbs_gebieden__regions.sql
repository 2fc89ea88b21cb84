-- "Gebieden in Nederland" of cbs_gebieden (CBS 86059NED for 2025): one row per gemeente with
-- its GGD-regio, provincie and the optional other classifications, codes standardised.
-- Grain: gemeente_code (unique: land() rejects duplicates). No joins, no aggregation.
-- At ingest the 2025 table was checked to equal data/reference/gemeenten_2025_ggd_provincie.csv.
with source as (
    select * from landing_cbs_gebieden__regions
),

renamed as (
    select
        -- keys
        'cbs_gebieden' as source_id,
        std_area_code(gemeente_code) as gemeente_code,
        classification_year,
        -- names and memberships
        trim(gemeente_naam) as gemeente_naam,
        upper(trim(ggd_code)) as ggd_code,
        trim(ggd_naam) as ggd_naam,
        upper(trim(provincie_code)) as provincie_code,
        trim(provincie_naam) as provincie_naam,
        upper(trim(corop_code)) as corop_code,
        trim(corop_naam) as corop_naam,
        upper(trim(jeugdzorgregio_code)) as jeugdzorgregio_code,
        trim(jeugdzorgregio_naam) as jeugdzorgregio_naam,
        upper(trim(zorgkantoorregio_code)) as zorgkantoorregio_code,
        trim(zorgkantoorregio_naam) as zorgkantoorregio_naam,
        upper(trim(veiligheidsregio_code)) as veiligheidsregio_code,
        trim(veiligheidsregio_naam) as veiligheidsregio_naam,
        -- provenance
        source_file,
        source_row,
        _snapshot_id as snapshot_id
    from source
)

select * from renamed

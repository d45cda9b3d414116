"""KPI formulas, attainment per period and service credits. So far: the catalogue of formula ids
that agreements may name; the computations arrive with the KPI and report work."""

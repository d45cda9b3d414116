"""KPI formulas, attainment per period and service credits: the catalogue of formula ids an
agreement may name (``catalogue``), attainment (``attainment``), availability (``availability``),
and the KPI library that computes every formula per period (``library``, with ``durations``,
``lifecycle``, ``volume``, ``satisfaction`` and ``periods``). Credits arrive later."""

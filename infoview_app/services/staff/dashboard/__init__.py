"""The staff dashboard: programme figures for a period, the six-step funnel, activity over
time and where contacts come from, for all students or those of one major or graduation year.

Privacy (docs/privacy.md): a period is whole weeks, Monday to Sunday in the institution's time
zone (``filters.zone``), and every count is a sum of *cells*, one per measure, major,
graduation year and week, each rounded on its own by services/staff/suppression.py before
anything is added up. Shares, rates and medians are worked out from those rounded cells alone, and a
count under the institution's minimum group size reads "<N". So no figure, and no difference
between figures for other filters or periods, tells more than the rounded cells, and they
never pin down a count.

The cells are counted in SQL (GROUP BY week, major and graduation year; a fixed number of
statements whatever the data, a few rows per group and week, never a row per student); the
rounding and adding up happen here. Each exploration's counts and first dates come from
``exploration_progress``, which database triggers keep (migration 0006); the medians count
whole days between UTC dates.

The modules: filters.py (the period and group, from a form; the filter menus), scope.py
(which students and weeks the filters select, in SQL), cells.py (what is counted, and the
counting into rounded cells), figures.py (the headline figures and each chart's rows from
the rounded cells), charts.py (a chart's contract and its CSV), page.py (``dashboard()``:
every figure for the filters) and progress.py (the students who share their progress).
"""

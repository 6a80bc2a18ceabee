# Criticality (#14): the critical-but-unfunded list (/funding/critical).
# Every key here must also be in fr/criticality.ftl.
crit-title = Critical but unfunded
crit-link = Critical but unfunded: the projects the most packages depend on that nobody funds
crit-funding = Funding
crit-intro = The projects the most packages depend on, across Guix, Spack and Nix, that no sponsorship funds and that at most one person maintains: where support matters most.
crit-loading = Loading the list…
crit-filter-ecosystem = Ecosystem
crit-filter-tag = Domain (tag)
crit-any = Any
crit-sort = Sort by
crit-sort-score = score
crit-sort-dependents = dependents (transitive)
crit-sort-name = name
crit-apply = Apply
crit-csv = Download as CSV
crit-json = JSON
crit-ecosystem-guix = Guix
crit-ecosystem-spack = Spack
crit-ecosystem-nix = Nix
crit-not-computed = The criticality has not been computed yet (pacatlas funding criticality).
crit-count = { $count ->
    [one] { $n } project on the list
   *[other] { $n } projects on the list
}
crit-count-capped = More than { $n } projects on the list; the first { $n } are shown
crit-computed-at = computed { $date }
crit-caption = Unfunded projects with at most one maintainer, most critical first
crit-col-rank = Rank
crit-col-project = Project
crit-col-ecosystems = Ecosystems
crit-col-direct = Direct dependents
crit-col-transitive = All dependents
crit-col-maintainers = Maintainers
crit-col-ci = CI
crit-col-archival = Archival
crit-col-score = Score
crit-ci-none = no CI
crit-ci-passing = passing
crit-ci-failing = { $n } of { $total } failing
crit-archival-unchecked = not checked
crit-archival-share = { $percent } % of { $total } sources archived
crit-how-title = How the score is computed
crit-how-project = A project is the same software in every ecosystem (py-numpy in Spack, python-numpy in Guix and numpy in Nix are one project).
crit-how-dependents = Its direct dependents are the packages of other projects, in every channel, with a dependency on one of its packages; all dependents also count the packages that reach one through a chain of dependencies. Cycles are counted once; the project's own packages never count. Virtual dependencies (Spack's mpi) are not resolved to their providers.
crit-how-formula = importance = log2(1 + all dependents) + 0.5 × log2(1 + direct dependents) + (ecosystems − 1)
    fragility = 1 + 0.5 if no maintainer + 0.25 × share of CI-built packages failing + 0.25 × share of checked sources missing from Software Heritage
    score = importance × fragility
crit-how-list = Listed: a score above 0, no active sponsorship (of the project, one of its packages or one of their declared maintainers) and at most one maintainer (declared in the channels, or claiming it after logging in).
crit-how-when = The criticality is recomputed after every ingest, by the server within a minute of any change of the catalog, funding or claims, and on demand with pacatlas funding criticality.

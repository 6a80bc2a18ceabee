# Archival coverage in Software Heritage (/archival and package pages).
# Every key here must also be in fr/archival.ftl.
archival-title = Archival coverage
archival-intro = Whether Software Heritage holds each package source of every channel (tarball hashes, NAR hashes, git commits, repositories), how coverage changes over time, and which forges the ecosystem depends on.
archival-loading = Loading archival coverage…
archival-none = No source has been checked yet: run pacatlas archival check.
archival-demo-notice = Demo data: these archival results were made up for the demonstration; no request was made to Software Heritage.
archival-demo-badge = demo
archival-status-archived = archived
archival-status-missing = missing
archival-status-unknown = unknown
archival-status-error = check failed
archival-status-unchecked = not checked
archival-class-commercial = commercial
archival-class-institutional = institutional
archival-class-other = other
archival-reason-no-hash = no hash or commit to look up
archival-reason-no-url = no repository URL
archival-reason-unsupported-origin = unsupported kind of origin
archival-coverage = Coverage per channel
archival-coverage-caption = Sources of each channel's present packages by archival status, from the latest snapshot
archival-trend = Coverage over time
archival-trend-none = No snapshot yet.
archival-trend-description = Share of sources archived in Software Heritage per channel, from { $first } to { $last } ({ $channels } channels).
archival-trend-table = The chart's numbers as a table
archival-by-type = By kind of origin
archival-by-type-caption = Sources of all channels by kind of origin (tarball URL, git, svn, hg) and archival status
archival-forges = Forge concentration
archival-forges-intro = Where the sources are downloaded from. A high concentration index means that a few hosts hold most sources: their loss would hit the ecosystem hard.
archival-forges-caption = Hosts of each channel's sources, concentration index and share of commercial and institutional hosts
archival-hhi-title = Herfindahl-Hirschman index: the sum of the squared percentage shares of the hosts, from near 0 (spread) to 10,000 (one host)
archival-spof = Single points of failure
archival-spof-intro = Hosts whose loss would leave the most sources without a known copy in Software Heritage, all channels together.
archival-most-depended = Most depended-upon packages without a known copy
archival-most-depended-none = Every source is archived.
archival-missing = Sources without a known copy
archival-missing-count = { $count ->
    [one] { $n } source without a known copy matches.
   *[other] { $n } sources without a known copy match.
}
archival-missing-caption = { $count ->
    [one] { $n } source, page { $page } of { $pages }
   *[other] { $n } sources, page { $page } of { $pages }
}
archival-csv = Download as CSV
archival-any = any
archival-any-unarchived = any but archived
archival-filter = Filter
archival-pages = Pages of sources
archival-previous = Previous page
archival-next = Next page
archival-col-channel = Channel
archival-col-sources = Sources
archival-col-percent = Archived (%)
archival-col-snapshot = Snapshot
archival-col-revision = Revision
archival-col-origin-type = Origin
archival-col-host = Host
archival-col-hosts = Hosts
archival-col-class = Kind of host
archival-col-hhi = HHI
archival-col-top-hosts = Largest hosts
archival-col-unarchived = Without a known copy
archival-col-package = Package
archival-col-dependents = Dependents
archival-col-source = Source
archival-col-status = Status
archival-source-label = Software Heritage:
archival-checked-at = checked { $time }
archival-facet = Archival
archival-facet-archived = Every source archived
archival-facet-partly = Partly archived
archival-facet-not = Not archived
archival-facet-unknown = Unknown
archival-by-ecosystem-caption = The same per ecosystem (its channels added up)
archival-col-ecosystem = Ecosystem
archival-channels = { $count ->
    [one] ({ $n } channel)
   *[other] ({ $n } channels)
}

# CI status: /ci, /ci/{service}, a package's Builds section and build history.
ci-title = CI status
ci-intro = Build results of the CI services that build Guix, Spack and Nix channels, side by side.
ci-loading = Loading build results…
ci-no-services = No CI service reports builds yet.
ci-demo-notice = Demo data: these build results are made up to show the pages; they come from no real CI service.
ci-demo-badge = demo
ci-services-caption = Builds by status, per CI service
ci-col-service = CI service
ci-col-channel = Channel
ci-col-total = Total
ci-col-unresolved = Unresolved jobs
ci-col-last-build = Last build
ci-status-succeeded = Succeeded
ci-status-failed = Failed
ci-status-dependency-failed = Dependency failed
ci-status-timed-out = Timed out
ci-status-cancelled = Cancelled
ci-status-other = Other failure
ci-weather-new-failure = New failure
ci-weather-still-failing = Still failing
ci-weather-fixed = Fixed
ci-weather-still-succeeding = Still succeeding
builds-title = Builds
builds-none = No build results for this package yet.
builds-see-ci = See the CI services
builds-unavailable = Build results are not available right now.
builds-caption = { $count ->
    [one] Latest build per version and system ({ $n } build on record)
   *[other] Latest build per version and system ({ $n } builds on record)
}
builds-col-system = System
builds-col-status = Status
builds-col-weather = Trend
builds-col-finished = Finished
builds-build-link = Build { $id } on { $service }
builds-history-link = Full build history
history-title = Builds of { $name }
history-any = any
history-filter = Filter
history-none = No build matches these filters.
history-caption = { $count ->
    [one] { $n } build, page { $page } of { $pages }
   *[other] { $n } builds, page { $page } of { $pages }
}
history-pages = History pages
history-newer = Newer builds
history-older = Older builds
ci-new-failures = New failures of the last 7 days
ci-new-failures-none = No new failure in the last 7 days.
ci-longest-failing = Failing the longest
ci-most-depended-failing = Failing packages the most packages depend on
ci-failing-none = No package is failing.
ci-col-package = Package
ci-col-failing-since = Failing since
ci-col-dependents = Dependents
builds-feed-link = Feed of new failures and fixes (Atom)
ci-service-title = CI service { $service }
ci-all-services = All CI services
ci-service-not-found = No such CI service
ci-service-not-found-text = No CI service of that name reports builds here.
ci-trend-title = Success rate per week
ci-trend-desc = The share of builds that succeeded among those that gave a verdict (succeeded, failed, dependency failed or timed out), per week, over the { $weeks } weeks up to each service's latest build. Cancelled builds and other failures are left out.
ci-trend-latest = { $service }: { $rate } in the week of { $week } ({ $succeeded } of { $decisive } builds succeeded).
ci-trend-latest-none = { $service }: no build gave a verdict in the week of { $week }.
ci-trend-table = The chart's figures
ci-col-week = Week of
ci-trend-cell = { $rate } ({ $succeeded } of { $decisive })
ci-trend-no-verdict = no verdict
ci-trend-axis = Success rate (%)
facet-ci = CI status
facet-ci-passing = Passing
facet-ci-failing = Failing
facet-ci-unknown = No build result

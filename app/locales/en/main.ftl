# Pacatlas, English messages. Every key here must also be in fr/main.ftl
# (a unit test of pacatlas-app checks it). $n is a number already written
# in the page's language; $count is the same number, for plural selection.

## Page frame
skip-link = Skip to content
site-description = Pacatlas: search, build status, hardware support, archival and funding of HPC packages in GNU Guix, Spack and Nix.
header-home-label = Pacatlas home
header-search-placeholder = Search packages (press / to focus)
search-packages = Search packages
action-search = Search
nav-label = Main
nav-packages = Packages
nav-matrix = Matrix
nav-ci = CI
nav-archival = Archival
nav-funding = Funding
lang-switch-label = Language
lang-switch-button = Read this site in English
lang-switch-forbidden = The language can only be changed from a page of this site.
lang-switch-unknown = This language is not available.
footer-about = Pacatlas indexes GNU Guix, Spack and Nix packages for HPC: builds, hardware support, source archival and who maintains and funds them.
footer-channels = Channels
footer-api = JSON API
footer-status = Status
copy-copy = Copy
copy-copied = Copied

## Times
time-just-now = just now
time-minutes-ago = { $count ->
    [one] { $n } minute ago
   *[other] { $n } minutes ago
}
time-hours-ago = { $count ->
    [one] { $n } hour ago
   *[other] { $n } hours ago
}
time-days-ago = { $count ->
    [one] { $n } day ago
   *[other] { $n } days ago
}
time-months-ago = { $count ->
    [one] { $n } month ago
   *[other] { $n } months ago
}
time-years-ago = { $count ->
    [one] { $n } year ago
   *[other] { $n } years ago
}

## Home
home-title = The atlas of HPC packages
home-lead = Search GNU Guix, Spack and Nix at once, and see where each package builds, whether its source is archived, and who keeps it alive.
home-search-label = Package name, topic or Spack spec
home-search-placeholder = e.g. petsc, hdf5+mpi, numpy
home-areas-title = What you can find here
area-packages-title = Packages
area-packages-text = Every package of the Guix, Spack and Nix channels: versions, licences, sources, dependencies, and the same software in the other ecosystems.
area-matrix-title = Hardware matrix
area-matrix-text = Which package builds and runs on which system, CPU micro-architecture, GPU target and HPC site, and who says so.
area-ci-title = CI status
area-ci-text = Build results from Cuirass, Hydra and GitLab CI in one vocabulary, with history, regressions, feeds and badges.
area-archival-title = Archival
area-archival-text = Whether Software Heritage holds each package's source, per channel and per forge.
area-funding-title = Funding
area-funding-text = Maintainers, foundations and grants behind the packages, and what nobody maintains or funds.

## Page not found
not-found-title = Page not found
not-found-text = There is no page at this address. Try searching for the package instead:
not-found-home = Back to the home page

## Channels
server-timeout = The server took too long to answer this request. Please try again in a moment.
server-panic = Internal server error: the problem was logged. Please try again later.
catalog-unavailable = The catalog is not available right now.
channels-title = Packages by channel
channels-lead = Every channel Pacatlas indexes, with the revision it was last read at.
channels-loading = Loading channels…
channels-empty = No channel has been ingested yet. Load one with either of these commands:
channels-caption = { $channels ->
    [one] { $nc } channel
   *[other] { $nc } channels
}, { $count ->
    [one] { $n } package
   *[other] { $n } packages
}
col-ecosystem = Ecosystem
col-channel = Channel
col-packages = Packages
col-removed = Removed
col-revision = Revision
col-ingested = Ingested
channel-loading = Loading channel…
channel-not-found-title = Channel not found
channel-not-found-text = No channel of that name has been ingested.
channel-see-all = See all channels
breadcrumb-label = Breadcrumb
breadcrumb-channels = Channels
channel-repository = Repository
channel-last-ingested = Last ingested
channel-package-count = { $packages } ({ $n } removed)
channel-history = Ingest history
col-started = Started
col-added = Added
col-updated = Updated
col-unchanged = Unchanged
col-duration = Duration
col-inputs = Inputs
duration-seconds = { $s } s
channel-warnings = { $count ->
    [one] { $n } warning
   *[other] { $n } warnings
}
failures-title = Failed ingests
failures-text = These ingests were refused; the catalog was left as it was before each of them.
col-failed = Failed
col-where = Where
col-error = Error
badge-removed = removed
pager-label = Pages
pager-previous = ← Previous
pager-next = Next →
pager-page = Page { $page } of { $pages }

## Package
package-loading = Loading package…
package-not-found-title = Package not found
package-not-found-text = This channel has no package of that name.
package-search-everywhere = Search for it in every channel
package-removed = This package was removed from the channel.
package-last-seen = Last seen at revision { $revision }.
package-removal-noticed = Removal noticed on { $date }.
package-install = Install
package-copy-install = Copy the install command
package-facts = Facts
package-homepage = Homepage
package-repository = Repository
package-licence = Licence
package-not-declared = not declared
package-when = when { $condition }
package-maintainers = Maintainers
package-none-declared = none declared
package-defined-in = Defined in
package-build-system = Build system
package-gpu = GPU support
package-provides = Provides
package-tags = Tags
package-platforms = Platforms
package-used-by = Used by
package-used-by-count = { $count ->
    [one] { $n } package in this channel
   *[other] { $n } packages in this channel
}
package-also-in = Also packaged in
package-in-channel = in { $channel }
package-sources = Sources
package-variants = Variants
col-variant = Variant
col-default = Default
col-values = Values
col-description = Description
package-conflicts = Conflicts
package-conflicts-text = Configurations the recipe refuses to build.
col-spec = Spec
col-when = When
col-reason = Reason
package-versions = Versions ({ $n })
col-version = Version
col-source = Source
badge-preferred = preferred
badge-deprecated = deprecated
source-sha256-title = sha256 of the file
source-nar-title = sha256 of the NAR serialisation
package-dependencies = Dependencies
package-dependencies-count = Dependencies ({ $n })
package-no-dependencies = None declared.
dependency-virtual = { $count ->
    [one] virtual: { $n } provider
   *[other] virtual: { $n } providers
}

## Search
search-title = Search
search-title-query = { $q } – search
search-placeholder = Package name, topic or Spack spec (hdf5+mpi)
search-searching = Searching…
search-unavailable = Search is not available right now.
search-cannot-run = This search cannot be run: { $error }.
search-problem-too-long = the query is longer than { $max } characters
search-problem-too-many-values = at most { $max } “{ $facet }” values may be given
search-problem-value-too-long = a “{ $facet }” value is longer than { $max } bytes
search-problem-page-too-far = a search shows { $max } pages at most
search-filters = Filters
facet-ecosystem = Ecosystem
facet-channel = Channel
facet-licence = Licence
search-degraded = The search engine is not answering: these results come from a simpler fallback search and may be less relevant.
search-no-match = No package matches “{ $q }”.
search-past-end = Page { $page } is past the last page ({ $pages }).
search-range-capped = { $first }–{ $last } of the first { $total } of { $matches } packages
search-range = { $count ->
    [one] { $first }–{ $last } of { $n } package
   *[other] { $first }–{ $last } of { $n } packages
}
search-spec = Spack spec
search-took = { $ms } ms
search-result-pages = Result pages

## CI status
feed-channel-title = New failures and fixes in { $channel }
feed-package-title = New failures and fixes of { $name } in { $channel }
feed-entry-on = { $package } on { $system }

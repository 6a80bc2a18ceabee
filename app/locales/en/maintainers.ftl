# Maintainers (/maintainers, /maintainers/{forge}/{handle}, the package
# page's maintainers, inbox items and the maintainer feed).
# Every key here must also be in fr/maintainers.ftl.
nav-maintainers = Maintainers
area-maintainers-title = Maintainers
area-maintainers-text = Who looks after each package, declared by the channels or claimed, and how their packages fare.
maint-loading = Loading the maintainer…
maint-index-title = Maintainers
maint-index-intro = People who maintain packages: declared in the channels' metadata (Spack, Nix) or claimed after logging in. Most packages first.
maint-index-count = { $count ->
    [one] { $n } maintainer
   *[other] { $n } maintainers
}
maint-search-label = Handle or name
maint-col-maintainer = Maintainer
maint-col-forge = Account on
maint-col-packages = Packages
maint-not-found = No such maintainer
maint-not-found-text = No channel declares this handle as a maintainer and nobody claims packages with it.
maint-all = All maintainers
maint-title = { $who }: packages
maint-profile = Profile on { $forge }
maint-counts-label = Health of the packages
maint-packages-count = { $count ->
    [one] { $n } package
   *[other] { $n } packages
}
maint-failing-count = { $count ->
    [one] { $n } failing in CI
   *[other] { $n } failing in CI
}
maint-unarchived-count = { $count ->
    [one] { $n } with sources not archived
   *[other] { $n } with sources not archived
}
maint-outdated-count = { $count ->
    [one] { $n } outdated
   *[other] { $n } outdated
}
maint-feed = Atom feed of what needs attention
maint-feed-link-title = What needs the attention of { $handle } (Atom)
maint-json = JSON
maint-packages = Packages
maint-sort-by = Sort by:
maint-sort-name = name
maint-sort-health = health (worst first)
maint-col-package = Package
maint-col-as = Maintainer as
maint-col-ci = CI
maint-col-archival = Software Heritage
maint-col-upstream = Other ecosystems
maint-declared = declared
maint-declared-verified = declared, verified claim
maint-claimant = claimed
maint-claim-verified = verified claim
maint-claim-approved = approved claim
maint-ci-passing = passing
maint-ci-failing = failing
maint-ci-none = no builds
maint-since = since { $date }
maint-archival-archived = archived
maint-archival-partly = partly archived
maint-archival-not = not archived
maint-archival-unknown = unknown
maint-missing-of = { $n } of { $sources } missing
maint-outdated = newer version:
maint-not-outdated = no newer version known
maint-inbox-empty = Nothing needs attention.
maint-inbox-ci = { $count ->
    [one] failing build
   *[other] { $n } failing builds
}
maint-inbox-archival = { $count ->
    [one] a source not archived in Software Heritage
   *[other] { $n } sources not archived in Software Heritage
}
maint-inbox-outdated = newer version { $newer }
maint-feed-title = Pacatlas: what needs the attention of { $handle }
maint-feed-ci-title = { $package } in { $channel }: CI fails
maint-feed-ci-summary = The latest builds of { $package } in { $channel } fail ({ $count } failing).
maint-feed-archival-title = { $package } in { $channel }: sources not archived
maint-feed-archival-summary = Software Heritage holds no copy of { $count } source(s) of { $package } in { $channel }.
maint-feed-outdated-title = { $package } in { $channel }: newer version { $newer }
maint-feed-outdated-summary = { $where } has { $newer }, newer than { $package } in { $channel }.
maint-inbox-title = Your inbox
maint-inbox-intro = What needs your attention in the packages declared for your accounts or claimed by you: CI failures, sources Software Heritage lacks, newer versions in other ecosystems. Newest first.
maint-inbox-login = Log in to see your inbox.
maint-inbox-count = { $count ->
    [one] { $n } item
   *[other] { $n } items
}

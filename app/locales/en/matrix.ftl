matrix-title = Hardware-support matrix
matrix-intro = Which package builds and runs on which system, CPU micro-architecture, GPU target and HPC machine, and who says so: a CI build, a site's attestation, the recipe itself, or an inference from a build for an older target.
matrix-sites-link = HPC sites and their machines
matrix-loading = Loading the matrix…
matrix-unavailable = The hardware-support matrix is not available right now.
matrix-none = No package matches these filters.
matrix-any = Any
matrix-filter-channel = Channel
matrix-filter-q = Name
matrix-filter-tag = Tag
matrix-filter-known = Only packages with known facts
matrix-filter-maintainer = Maintainer (forge:handle)
matrix-maintainer-link = Their packages in the hardware-support matrix
matrix-maintainer-invalid = The maintainer filter must be FORGE:HANDLE, for example github:octocat or gitlab.inria.fr:alice.
matrix-filter-submit = Filter
matrix-export-csv = { $count ->
    [one] Export as CSV ({ $n } package)
   *[other] Export as CSV ({ $n } packages)
}
matrix-export-json = This page as JSON
matrix-demo-notice = Some cells come from the demo data set: the CI results and site attestations marked "demo" are made up. The sites, machines and recipes are real.
matrix-demo-mark = demo
matrix-demo-badge = demo data
matrix-caption = { $count ->
    [one] { $n } package, page { $page } of { $pages }
   *[other] { $n } packages, page { $page } of { $pages }
}
matrix-pages = Matrix pages
matrix-previous = Previous page
matrix-next = Next page
matrix-legend = Legend
matrix-legend-kinds = Attested: a site tested it on its machine. Built: a CI service built it for that platform. Declared: the recipe says it supports or conflicts with it. Inferred: built for an older target of the same family, so it should run; never tested.
matrix-keys-hint = Keyboard: Tab reaches the first cell; the arrow keys move between cells, Home and End to the ends of a row, Ctrl+Home and Ctrl+End to the ends of the table, Page Up and Page Down ten rows.
matrix-kind-attested = attested
matrix-kind-built = built
matrix-kind-declared = declared
matrix-kind-inferred = inferred
matrix-kind-unknown = unknown
matrix-status-works = works
matrix-status-partial = partly works
matrix-status-broken = broken
matrix-status-supported = supported
matrix-status-unsupported = unsupported
matrix-status-unknown = nothing known
matrix-cell-inferred-from = built for { $via }
matrix-cell-via = from { $via }
matrix-cell-source = by { $source }
matrix-cell-version = version { $version }
matrix-cell-date = on { $date }
matrix-group-gpu = GPU · { $vendor }
matrix-group-site = Site · { $site }
matrix-col-package = Package
matrix-col-platform = Platform
matrix-col-status = Status
matrix-col-source = Provenance
matrix-evidence = evidence
matrix-where-title = Where it runs
matrix-where-caption = What is known of this package per platform
matrix-where-none = Nothing is known yet of where this package runs.
matrix-where-gpu = The recipe has GPU variants: { $models }.
matrix-where-conflicts = { $count ->
    [one] { $count } conflict of the recipe about platforms
   *[other] { $count } conflicts of the recipe about platforms
}
matrix-where-link = See it in the matrix
matrix-sites-title = HPC sites
matrix-sites-intro = Computing centres and testbeds, their machines and partitions, and what they attest works there.
matrix-sites-none = No site is described yet.
matrix-sites-caption = { $count ->
    [one] { $count } site
   *[other] { $count } sites
}
matrix-sites-col-site = Site
matrix-sites-col-operator = Operator
matrix-sites-col-machines = Machines
matrix-sites-col-partitions = Partitions
matrix-sites-col-attested = Attested packages
matrix-sites-not-found = No such site
matrix-sites-machines = Machines and partitions
matrix-sites-machines-caption = Partitions: nodes of one kind
matrix-sites-col-machine = Machine
matrix-sites-col-system = System
matrix-sites-col-cpu = CPU
matrix-sites-col-gpu = GPU
matrix-sites-col-nodes = Nodes
matrix-sites-matrix = What its users can expect to work
matrix-sites-matrix-intro = The packages this site attested, on its partitions and the platforms they are built for.
matrix-sites-badge = Badge of a package at this site:
matrix-sites-badge-alt = whether the package works at this site
matrix-facet = Platform
matrix-facet-nvidia = NVIDIA GPUs (CUDA)
matrix-facet-amd = AMD GPUs (ROCm)

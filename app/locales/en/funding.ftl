# Funding (/funding, /funders/{slug}, a sponsorship's history, "Funded by"
# on package and maintainer pages, /admin/funding).
# Every key here must also be in fr/funding.ftl.
funding-title = Funding
funding-intro = Who funds the ecosystem's software, maintainers and infrastructure, and how what they fund is doing.
funding-how-totals = Amounts are shown in their own currency and never converted: totals are per currency, and in-kind sponsorships are counted apart. A sponsorship's amount is its total for its whole period and counts in the year it starts.
funding-loading = Loading funding…
funding-demo-notice = Demo data: these funders are made up and their amounts invented.
funding-demo-badge = demo, invented
funding-filters = Filter the sponsorships
funding-filter-kind = Funder kind
funding-filter-currency = Currency
funding-filter-status = Status
funding-any = Any
funding-apply = Apply
funding-active = active
funding-ended = ended
funding-csv-sponsorships = Sponsorships (CSV)
funding-csv-totals = Totals (CSV)
funding-json = JSON
funding-totals = Totals per funder and currency
funding-totals-caption = Totals per funder and currency (all years), of the funders on this page; every funder in the totals CSV
funding-per-year = Per year
funding-chart-title = Sponsorships started each year, in { $currency }
funding-funders = Funders
funding-none = No sponsorship recorded yet.
funding-see-all = All of this funder's sponsorships
funding-sponsorships = Sponsorships
funding-no-sponsorships = None.
funding-kind-foundation = Foundation
funding-kind-consortium = Consortium
funding-kind-agency = Public agency or programme
funding-kind-company = Company
funding-kind-individual = Individual
funding-active-count = { $count ->
    [one] { $n } active sponsorship
   *[other] { $n } active sponsorships
}
funding-ended-count = { $count ->
    [one] { $n } ended
   *[other] { $n } ended
}
funding-col-funder = Funder
funding-col-target = Funds
funding-col-amount = Amount
funding-col-period = Period
funding-col-status = Status
funding-col-health = Health of what it funds
funding-col-currency = Currency
funding-col-total = Total
funding-col-count = Sponsorships
funding-col-year = Year
funding-col-replaced = Replaced on
funding-col-note = Note
funding-col-actions = Actions
funding-target-project = Project
funding-target-package = Package
funding-target-maintainer = Maintainer
funding-target-infrastructure = Infrastructure
funding-in-kind = in kind
funding-period = { $start } – { $end }
funding-period-open = from { $start }
funding-revisions-link = { $count ->
    [0] history
    [one] history ({ $n } change)
   *[other] history ({ $n } changes)
}
funding-ci-success = CI: { $percent } of builds succeeded (30 days)
funding-health-none = nothing measured
funding-health-no-packages = no package in the catalog
funding-ci-none = no CI
funding-ci-passing = CI passing
funding-ci-failing = { $count ->
    [one] { $n } of { $built } failing in CI
   *[other] { $n } of { $built } failing in CI
}
funding-archival-archived = sources archived
funding-archival-partly = sources partly archived
funding-archival-not = sources not archived
funding-archival-unknown = archival unknown
funding-packages-count = { $count ->
    [one] { $n } package
   *[other] { $n } packages
}
funding-maintainers-count = { $count ->
    [one] { $n } maintainer
   *[other] { $n } maintainers
}
funding-funder-title = { $name }: funding
funding-funder-not-found = No such funder
funding-active-sponsorships = Active sponsorships
funding-ended-sponsorships = Ended sponsorships
funding-sponsorship-not-found = No such sponsorship
funding-sponsorship-title = { $funder } funds { $target }
funding-source = Source:
funding-revisions = History
funding-revisions-caption = Earlier versions of this sponsorship, newest first
funding-revisions-none = Not changed since it was recorded.
funding-op-update = edited
funding-op-delete = deleted
funding-current = Now: { $amount }
funding-funded-by = Funded by
funding-funded-by-none = No recorded funding.
funding-via-project = (through the project { $project })
funding-admin-title = Funding: funders and sponsorships
funding-admin-intro = Record funders and what they fund. Every change is in the audit log; edits keep the earlier version of a sponsorship.
funding-admin-new-funder = New funder
funding-admin-edit-funder = Edit the funder
funding-admin-new-sponsorship = New sponsorship
funding-admin-edit-sponsorship = Edit the sponsorship
funding-field-slug = Slug (lower-case letters, digits, dashes)
funding-field-name = Name
funding-field-kind = Kind
funding-field-country = Country (ISO code such as FR, or EU)
funding-field-url = Web site
funding-field-description = Description
funding-field-funder = Funder
funding-field-target = What it funds
funding-target-help = project:KEY, package:ECOSYSTEM/CHANNEL/NAME, maintainer:FORGE:HANDLE, infrastructure:ci-service:NAME, infrastructure:mirror:NAME, infrastructure:software-heritage or infrastructure:other:NAME
funding-field-amount = Amount for the whole period (such as 15000.50)
funding-field-currency = Currency (ISO 4217, such as EUR)
funding-field-in-kind = In kind (no amount)
funding-field-starts = Starts on
funding-field-ends = Ends on (empty while open-ended)
funding-field-note = Public note
funding-field-source = Source link
funding-save = Save
funding-import = Import sponsorships from CSV
funding-import-help = One sponsorship per row, funders by slug; when any row is wrong nothing is written and every wrong row is named. Header:
funding-import-label = or the CSV text
funding-import-file = CSV file
funding-import-button = Import
funding-edit-named = Edit { $name }
funding-delete = Delete
funding-delete-funder = Delete { $name }
funding-delete-sponsorship = Delete { $name }
funding-end = End
funding-end-on = Ends on
funding-form-refused = Nothing was written:
funding-form-back = Go back to the form, correct it and send it again.
funding-import-nothing-written = No row was imported. Rows to correct:
funding-done-funder-created = Funder created.
funding-done-funder-updated = Funder saved.
funding-done-funder-deleted = Funder deleted.
funding-done-sponsorship-created = Sponsorship created.
funding-done-sponsorship-updated = Sponsorship saved (the earlier version is kept in its history).
funding-done-sponsorship-ended = Sponsorship ended.
funding-done-sponsorship-deleted = Sponsorship deleted.
funding-done-imported = Sponsorships imported.

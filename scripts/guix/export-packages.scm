;;; Pacatlas — export the packages of a Guix channel as JSON, in the shape of
;;; the packages.json the Guix website publishes (name, version, synopsis,
;;; description, homepage, location, cpe_name, cpe_version, source[] with
;;; type/urls/integrity/git_url/git_ref…), plus what Pacatlas also reads when
;;; present: license[] and the input names (inputs, propagated_inputs,
;;; native_inputs).
;;;
;;; For channels that publish no packages.json (guix-science, guix-hpc,
;;; guix-past…). Run it where Guix and the channel are installed:
;;;
;;;   guix time-machine -C channels.scm -- repl -- \
;;;     scripts/guix/export-packages.scm guix-science > guix-science.json
;;;   pacatlas ingest guix --channel guix-science \
;;;     --revision "$(guix describe -f channels | …commit…)" guix-science.json
;;;
;;; The argument keeps the packages whose source file is under that
;;; directory of the load path (e.g. "gnu/packages" for Guix itself,
;;; "guix-science" for guix-science); without it every visible package is
;;; written. Needs guile-json (a dependency of Guix itself).

(use-modules (gnu packages)
             (guix packages)
             ((guix licenses) #:select (license? license-name))
             (guix diagnostics)                 ;location-file, location-line
             (guix git-download)
             (guix svn-download)
             (guix hg-download)
             (guix base64)
             (json)
             (srfi srfi-1)
             (srfi srfi-26)
             (ice-9 match))

(define prefix
  (match (command-line)
    ((_ prefix . _) prefix)
    (_ #f)))

(define (integrity origin)
  ;; "sha256-<base64>", the Subresource Integrity form the website uses.
  (let ((hash (origin-hash origin)))
    (and hash
         (string-append (symbol->string (content-hash-algorithm hash)) "-"
                        (base64-encode (content-hash-value hash))))))

(define (origin->json origin)
  (let ((fields
         (match (origin-uri origin)
           ((? git-reference? ref)
            `(("type" . "git")
              ("git_url" . ,(git-reference-url ref))
              ("git_ref" . ,(git-reference-commit ref))))
           ((? svn-reference? ref)
            `(("type" . "svn")
              ("svn_url" . ,(svn-reference-url ref))
              ("svn_revision" . ,(svn-reference-revision ref))))
           ((? hg-reference? ref)
            `(("type" . "hg")
              ("hg_url" . ,(hg-reference-url ref))
              ("hg_changeset" . ,(hg-reference-changeset ref))))
           ((? string? url)
            `(("type" . "url") ("urls" . ,(vector url))))
           (((? string? urls) ...)
            `(("type" . "url") ("urls" . ,(list->vector urls))))
           (_ '(("type" . "other")))))
        (hash (integrity origin)))
    (if hash (cons (cons "integrity" hash) fields) fields)))

(define (license-names package)
  (list->vector
   (filter-map (lambda (l) (and (license? l) (license-name l)))
               (match (package-license package)
                 ((licenses ...) licenses)
                 (license (list license))))))

(define (input-names inputs)
  (list->vector
   (delete-duplicates
    (filter-map (match-lambda
                  ((_ (? package? p) . _) (package-name p))
                  (_ #f))
                inputs))))

(define (optional key value)
  (if value (list (cons key value)) '()))

(define (package->json package)
  (let ((location (package-location package))
        (properties (package-properties package)))
    `(("name" . ,(package-name package))
      ("version" . ,(package-version package))
      ,@(optional "synopsis" (package-synopsis package))
      ,@(optional "description" (package-description package))
      ,@(optional "homepage" (package-home-page package))
      ,@(optional "location"
                  (and location
                       (string-append (location-file location) ":"
                                      (number->string (location-line location)))))
      ,@(optional "cpe_name" (assoc-ref properties 'cpe-name))
      ,@(optional "cpe_version" (assoc-ref properties 'cpe-version))
      ("source" . ,(match (package-source package)
                     ((? origin? o) (vector (origin->json o)))
                     (_ #())))
      ("license" . ,(license-names package))
      ("inputs" . ,(input-names (package-inputs package)))
      ("propagated_inputs" . ,(input-names (package-propagated-inputs package)))
      ("native_inputs" . ,(input-names (package-native-inputs package))))))

(define (selected? package)
  (let ((location (package-location package)))
    (and (not (package-superseded package))
         (or (not prefix)
             (and location (string-prefix? prefix (location-file location)))))))

(define packages
  (sort (fold-packages (lambda (p acc) (if (selected? p) (cons p acc) acc)) '())
        (lambda (a b)
          (or (string<? (package-name a) (package-name b))
              (and (string=? (package-name a) (package-name b))
                   (string<? (package-version a) (package-version b)))))))

(scm->json (list->vector (map package->json packages)) (current-output-port))
(newline)

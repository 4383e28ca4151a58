; GIMP 3 Script-Fu with named arguments: both spectide procedures, then the
; GEGL operation as a non-destructive filter. scripts/demo-gimp.sh runs it:
;   gimp-console-3.0 -i --batch-interpreter=plug-in-script-fu-eval \
;     -b '(begin (load "scripts/gimp3-demo.scm") (demo "OUT" 0.1))' --quit
; (OUT holds photo.png; the results are written next to it.)

(define (demo-export drawable path)
  ; One layer to a file: exports save whole images, so copy it into one.
  (let* ((img (car (gimp-item-get-image drawable)))
         (copy (car (gimp-image-new-with-precision
                     (car (gimp-drawable-get-width drawable)) (car (gimp-drawable-get-height drawable))
                     (car (gimp-image-get-base-type img)) (car (gimp-image-get-precision img)))))
         (layer (car (gimp-layer-new-from-drawable drawable copy))))
    (gimp-image-insert-layer copy layer 0 0)
    (gimp-layer-set-offsets layer 0 0)
    (gimp-file-save RUN-NONINTERACTIVE copy path)
    (gimp-image-delete copy)))

(define (demo out t)
  (let* ((img (car (gimp-file-load RUN-NONINTERACTIVE (string-append out "/photo.png"))))
         (layer (vector-ref (car (gimp-image-get-layers img)) 0))
         ; -> (alpha c r2 fmax plot-image); unnamed arguments keep their defaults
         (spectrum (plug-in-spectide-rapsd #:run-mode RUN-NONINTERACTIVE #:image img
                                           #:drawables (vector layer)
                                           #:channel "green" #:schedule "rectified-flow"
                                           #:t t #:tau 1
                                           #:csv-filename (string-append out "/rapsd.csv")
                                           #:plot-as-image TRUE))
         (plot (list-ref spectrum 4)))
    (gimp-message (string-append "alpha " (number->string (list-ref spectrum 0))
                                 " R2 " (number->string (list-ref spectrum 2))
                                 " f_max " (number->string (list-ref spectrum 3))))
    (gimp-file-save RUN-NONINTERACTIVE plot (string-append out "/rapsd-plot.png"))
    (gimp-image-delete plot)
    ; -> (fmax layer-group): noisy, low-pass and Wiener layers, one undo step
    (let* ((tide (plug-in-spectide-noise-lowpass #:run-mode RUN-NONINTERACTIVE #:image img
                                                 #:drawables (vector layer)
                                                 #:schedule "rectified-flow" #:t t #:tau 1
                                                 #:seed 1))
           (layers (vector->list (car (gimp-item-get-children (cadr tide))))))
      (for-each (lambda (child file)
                  (gimp-message (string-append "layer " (car (gimp-item-get-name child))))
                  (demo-export child (string-append out "/" file ".png")))
                layers '("noisy" "lowpass" "wiener")))
    ; The same comparison as a non-destructive filter on the photo's layer:
    ; the layer keeps its pixels; the XCF keeps the filter and its values.
    (gimp-drawable-append-new-filter layer "spectide:noise-lowpass" "spectide split"
                                     LAYER-MODE-REPLACE 1.0
                                     "schedule" "rectified-flow" "t" t "seed" 1 "view" "split")
    (gimp-file-save RUN-NONINTERACTIVE img (string-append out "/noise-lowpass.xcf"))
    (gimp-image-delete img)))

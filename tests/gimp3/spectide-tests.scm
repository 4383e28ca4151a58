; spectide GIMP 3 batch tests (Script-Fu, named arguments), loaded with
; -b '(load "...")'. Each function loads a PNG, converts it to the wanted mode,
; runs the procedures non-interactively and exports what check_gimp3.py
; measures. Results are printed with gimp-message as "SPECTIDE key value..."
; lines. A refused call is caught (catch): GIMP 3 stops at the first batch
; command that fails.

(define (spectide-report . parts)
  ; With GIMP's UI, messages would go to a dialog: to the console instead,
  ; where the test reads them.
  (gimp-message-set-handler CONSOLE)
  (gimp-message (apply string-append "SPECTIDE " parts)))

(define (spectide-load png)
  (car (gimp-file-load RUN-NONINTERACTIVE png)))

(define (spectide-first-layer img)
  (vector-ref (car (gimp-image-get-layers img)) 0))

; Exports one drawable as an uncompressed TIFF of its image's mode and
; precision (a copy in an image of its own: file export saves whole images).
(define (spectide-export drawable path)
  (let* ((img (car (gimp-item-get-image drawable)))
         (copy (car (gimp-image-new-with-precision
                     (car (gimp-drawable-get-width drawable))
                     (car (gimp-drawable-get-height drawable))
                     (car (gimp-image-get-base-type img))
                     (car (gimp-image-get-precision img)))))
         (layer (car (gimp-layer-new-from-drawable drawable copy))))
    (gimp-image-insert-layer copy layer 0 0)
    (gimp-layer-set-offsets layer 0 0)
    (gimp-file-save RUN-NONINTERACTIVE copy path)
    (gimp-image-delete copy)))

; mode: "rgb8" (as loaded), "gray16" (grayscale, 16-bit non-linear),
; "rgba-float" (32-bit float non-linear with an alpha channel).
(define (spectide-convert img drawable mode)
  (cond ((string=? mode "gray16")
         (gimp-image-convert-grayscale img)
         (gimp-image-convert-precision img PRECISION-U16-NON-LINEAR))
        ((string=? mode "rgba-float")
         (gimp-image-convert-precision img PRECISION-FLOAT-NON-LINEAR)
         (gimp-layer-add-alpha drawable))))

(define (spectide-case png mode outdir t)
  (let* ((img (spectide-load png))
         (drawable (spectide-first-layer img))
         (prefix (string-append outdir "/" mode)))
    (spectide-convert img drawable mode)
    (spectide-export drawable (string-append prefix "-original.tif"))
    ; the plot image only for rgb8 (each export starts a plug-in)
    (let* ((plot? (string=? mode "rgb8"))
           (r (plug-in-spectide-rapsd #:run-mode RUN-NONINTERACTIVE #:image img
                                      #:drawables (vector drawable)
                                      #:channel "green" #:schedule "rectified-flow"
                                      #:t t #:sigma 0 #:tau 1
                                      #:csv-filename (string-append prefix "-rapsd.csv")
                                      #:plot-as-image (if plot? TRUE FALSE)))
           (plot (list-ref r 4)))
      (spectide-report mode " rapsd alpha " (number->string (list-ref r 0))
                       " c " (number->string (list-ref r 1))
                       " r2 " (number->string (list-ref r 2))
                       " fmax " (number->string (list-ref r 3))
                       " plot " (if (= plot -1) "none" "image"))
      (if plot?
          (begin
            (gimp-file-save RUN-NONINTERACTIVE plot (string-append prefix "-plot.png"))
            (gimp-image-delete plot))))
    (let* ((r (plug-in-spectide-noise-lowpass #:run-mode RUN-NONINTERACTIVE #:image img
                                              #:drawables (vector drawable)
                                              #:schedule "rectified-flow" #:t t #:sigma 0
                                              #:tau 1 #:seed 7 #:view-mode "split"
                                              #:channel "green"))
           (group (cadr r))
           (children (vector->list (car (gimp-item-get-children group)))))
      (spectide-report mode " noise fmax " (number->string (car r))
                       " group " (car (gimp-item-get-name group))
                       " layers " (number->string (length children))
                       " image-layers " (number->string (vector-length (car (gimp-image-get-layers img)))))
      (for-each (lambda (layer file)
                  (spectide-report mode " layer " file " " (car (gimp-item-get-name layer)))
                  (spectide-export layer (string-append prefix "-" file ".tif")))
                children '("noisy" "lowpass" "wiener")))
    (gimp-image-delete img)))

; A selection is honoured: the layers cover its bounds, at its position.
(define (spectide-selection png)
  (let* ((img (spectide-load png))
         (drawable (spectide-first-layer img)))
    (gimp-image-select-rectangle img CHANNEL-OP-REPLACE 10 20 100 50)
    (let* ((r (plug-in-spectide-noise-lowpass #:run-mode RUN-NONINTERACTIVE #:image img
                                              #:drawables (vector drawable) #:t 0.2 #:seed 7))
           (layer (vector-ref (car (gimp-item-get-children (cadr r))) 0))
           (offsets (gimp-drawable-get-offsets layer)))
      (spectide-report "selection layer " (number->string (car (gimp-drawable-get-width layer)))
                       "x" (number->string (car (gimp-drawable-get-height layer)))
                       " at " (number->string (car offsets)) "," (number->string (cadr offsets))))
    (gimp-image-delete img)))

; Tiny images still give a spectrum, a group and three layers.
(define (spectide-tiny width height)
  (let* ((img (car (gimp-image-new width height RGB)))
         (layer (car (gimp-layer-new img "tiny" width height RGB-IMAGE 100 LAYER-MODE-NORMAL))))
    (gimp-image-insert-layer img layer 0 0)
    (gimp-drawable-fill layer FILL-FOREGROUND)
    (let* ((a (plug-in-spectide-rapsd #:run-mode RUN-NONINTERACTIVE #:image img
                                      #:drawables (vector layer) #:t 0.5))
           (n (plug-in-spectide-noise-lowpass #:run-mode RUN-NONINTERACTIVE #:image img
                                              #:drawables (vector layer) #:t 0.5)))
      (spectide-report "tiny " (number->string width) "x" (number->string height)
                       " fmax " (number->string (list-ref a 3))
                       " layers " (number->string (vector-length (car (gimp-item-get-children (cadr n)))))))
    (gimp-image-delete img)))

; Indexed images are refused with a message and left unchanged.
(define (spectide-indexed png)
  (let* ((img (spectide-load png))
         (drawable (spectide-first-layer img))
         (r1 (catch 'refused (plug-in-spectide-rapsd #:run-mode RUN-NONINTERACTIVE #:image img
                                                     #:drawables (vector drawable))))
         (r2 (catch 'refused (plug-in-spectide-noise-lowpass #:run-mode RUN-NONINTERACTIVE
                                                             #:image img #:drawables (vector drawable)))))
    (spectide-report "indexed rapsd " (if (eq? r1 'refused) "refused" "accepted")
                     " noise " (if (eq? r2 'refused) "refused" "accepted")
                     " layers " (number->string (vector-length (car (gimp-image-get-layers img))))
                     " base " (number->string (car (gimp-image-get-base-type img))))
    (gimp-image-delete img)))

; A CSV path that cannot be written is a PDB error, and GIMP keeps running.
(define (spectide-bad-csv dir)
  (let* ((img (car (gimp-image-new 16 12 RGB)))
         (layer (car (gimp-layer-new img "csv" 16 12 RGB-IMAGE 100 LAYER-MODE-NORMAL)))
         (path (string-append dir "/no-such-folder/rapsd.csv")))
    (gimp-image-insert-layer img layer 0 0)
    (gimp-drawable-fill layer FILL-FOREGROUND)
    (let ((r (catch 'refused
               (plug-in-spectide-rapsd #:run-mode RUN-NONINTERACTIVE #:image img
                                       #:drawables (vector layer) #:csv-filename path))))
      (spectide-report "bad-csv " (if (eq? r 'refused) "refused" "accepted")))
    (gimp-image-delete img)))

; Out-of-range arguments are refused by GIMP's own checks, naming them.
(define (spectide-bad-argument)
  (let* ((img (car (gimp-image-new 16 12 RGB)))
         (layer (car (gimp-layer-new img "arg" 16 12 RGB-IMAGE 100 LAYER-MODE-NORMAL))))
    (gimp-image-insert-layer img layer 0 0)
    (let ((r (catch 'refused
               (plug-in-spectide-noise-lowpass #:run-mode RUN-NONINTERACTIVE #:image img
                                               #:drawables (vector layer) #:t 1.5))))
      (spectide-report "bad-argument " (if (eq? r 'refused) "refused" "accepted")
                       " layers " (number->string (vector-length (car (gimp-image-get-layers img))))))
    (gimp-image-delete img)))

; Opens a dialog (RUN-INTERACTIVE) on the photo; the batch command returns
; when the dialog is closed (the screenshot test presses Return). The values
; given are the dialog's first values while there are no last values yet;
; later calls start from the last values. Reports what OK added: top-level
; layers (a group makes two) and filters on the photo's layer.
(define (spectide-dialog png procedure)
  (let* ((img (spectide-load png))
         (drawable (spectide-first-layer img)))
    (gimp-display-new img)
    (if (string=? procedure "rapsd")
        (plug-in-spectide-rapsd #:run-mode RUN-INTERACTIVE #:image img #:drawables (vector drawable)
                                #:t 0.3)
        (plug-in-spectide-noise-lowpass #:run-mode RUN-INTERACTIVE #:image img
                                        #:drawables (vector drawable) #:t 0.15 #:seed 7))
    (spectide-report "dialog " procedure " closed layers "
                     (number->string (vector-length (car (gimp-image-get-layers img))))
                     " filters "
                     (number->string (vector-length (car (gimp-drawable-get-filters drawable)))))))

; GIMP keeps the last values of an interactive run (on disk, in the
; profile): RUN-WITH-LAST-VALS ignores its arguments and repeats them.
(define (spectide-last-values)
  (let* ((img (car (gimp-image-new 32 24 RGB)))
         (layer (car (gimp-layer-new img "last" 32 24 RGB-IMAGE 100 LAYER-MODE-NORMAL))))
    (gimp-image-insert-layer img layer 0 0)
    (let* ((r (plug-in-spectide-noise-lowpass #:run-mode RUN-WITH-LAST-VALS #:image img
                                              #:drawables (vector layer) #:t 0.9))
           (noisy (vector-ref (car (gimp-item-get-children (cadr r))) 0)))
      (spectide-report "last-values " (car (gimp-item-get-name noisy))))
    (gimp-image-delete img)))

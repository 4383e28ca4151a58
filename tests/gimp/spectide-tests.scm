; spectide GIMP batch tests (Script-Fu, loaded with -b '(load "...")').
; Each function loads a PNG, converts it to the wanted mode, runs the
; procedures non-interactively and exports what check_layers.py measures.
; Results are printed with gimp-message as "SPECTIDE key value..." lines.

(define (spectide-report . parts)
  (gimp-message (apply string-append "SPECTIDE " parts)))

;; Exports drawables side by side (left to right) in one uncompressed TIFF
;; of the image's mode and precision: one export per case, because each
;; plug-in call costs seconds. TIFF export saves the whole image, so the
;; copies are merged into one layer first.
(define (spectide-export-tiff img drawables path)
  (let* ((width (car (gimp-drawable-width (car drawables))))
         (height (car (gimp-drawable-height (car drawables))))
         (copy (car (gimp-image-new-with-precision
                     (* width (length drawables)) height
                     (car (gimp-image-base-type img)) (car (gimp-image-get-precision img)))))
         (x 0))
    (for-each (lambda (drawable)
                (let ((layer (car (gimp-layer-new-from-drawable drawable copy))))
                  (gimp-image-insert-layer copy layer 0 0)
                  (gimp-layer-set-offsets layer x 0)
                  (set! x (+ x width))))
              drawables)
    (let ((merged (car (gimp-image-merge-visible-layers copy CLIP-TO-IMAGE))))
      (file-tiff-save RUN-NONINTERACTIVE copy merged path path 0))
    (gimp-image-delete copy)))

(define (spectide-load png)
  (car (gimp-file-load RUN-NONINTERACTIVE png png)))

; mode: "rgb8" (as loaded), "gray16" (grayscale, 16-bit perceptual),
; "rgba-float" (32-bit float perceptual with an alpha channel).
(define (spectide-convert img drawable mode)
  (cond ((string=? mode "gray16")
         (gimp-image-convert-grayscale img)
         (gimp-image-convert-precision img PRECISION-U16-GAMMA))
        ((string=? mode "rgba-float")
         (gimp-image-convert-precision img PRECISION-FLOAT-GAMMA)
         (gimp-layer-add-alpha drawable))))

(define (spectide-case png mode outdir t)
  (let* ((img (spectide-load png))
         (drawable (car (gimp-image-get-active-layer img)))
         (prefix (string-append outdir "/" mode)))
    (spectide-convert img drawable mode)
    ; channel green, rectified flow at t, no sigma, tau 1, CSV; the plot
    ; image only for rgb8 (each export starts a plug-in: seconds per call)
    (let* ((plot? (string=? mode "rgb8"))
           (r (plug-in-spectide-rapsd RUN-NONINTERACTIVE img drawable 0 0 t 0 1
                                      (string-append prefix "-rapsd.csv") (if plot? TRUE FALSE)))
           (plot (list-ref r 4)))
      (spectide-report mode " rapsd alpha " (number->string (list-ref r 0))
                       " r2 " (number->string (list-ref r 2))
                       " fmax " (number->string (list-ref r 3))
                       " plot " (number->string plot))
      (if plot?
          (begin
            (file-png-save-defaults RUN-NONINTERACTIVE plot
                                    (car (gimp-image-get-active-drawable plot))
                                    (string-append prefix "-plot.png")
                                    (string-append prefix "-plot.png"))
            (gimp-image-delete plot))))
    ; rectified flow at t, tau 1, seed 7, view split, channel green
    (let* ((r (plug-in-spectide-noise-lowpass RUN-NONINTERACTIVE img drawable 0 t 0 1 7 3 0))
           (group (cadr r))
           (children (vector->list (cadr (gimp-item-get-children group))))
           (files '("noisy" "lowpass" "wiener")))  ; Wiener: name checked, not exported
      (spectide-report mode " noise fmax " (number->string (car r))
                       " group " (car (gimp-item-get-name group))
                       " layers " (number->string (length children))
                       " image-layers " (number->string (car (gimp-image-get-layers img))))
      (for-each (lambda (layer file)
                  (spectide-report mode " layer " file " " (car (gimp-item-get-name layer))))
                children files)
      ; original | noisy | low-pass in one file (Wiener: name checked only)
      (spectide-export-tiff img (list drawable (car children) (cadr children))
                            (string-append prefix "-layers.tif")))
    (gimp-image-delete img)))

; A selection is honoured: the layers cover its bounds, at its position.
(define (spectide-selection png)
  (let* ((img (spectide-load png))
         (drawable (car (gimp-image-get-active-layer img))))
    (gimp-image-select-rectangle img CHANNEL-OP-REPLACE 10 20 100 50)
    (let* ((r (plug-in-spectide-noise-lowpass RUN-NONINTERACTIVE img drawable 0 0.2 0 1 7 3 0))
           (layer (vector-ref (cadr (gimp-item-get-children (cadr r))) 0))
           (offsets (gimp-drawable-offsets layer)))
      (spectide-report "selection layer " (number->string (car (gimp-drawable-width layer)))
                       "x" (number->string (car (gimp-drawable-height layer)))
                       " at " (number->string (car offsets)) "," (number->string (cadr offsets))))
    (gimp-image-delete img)))

; Tiny images still give a spectrum, a group and three layers.
(define (spectide-tiny width height)
  (let* ((img (car (gimp-image-new width height RGB)))
         (layer (car (gimp-layer-new img width height RGB-IMAGE "tiny" 100 LAYER-MODE-NORMAL))))
    (gimp-image-insert-layer img layer 0 0)
    (gimp-drawable-fill layer FILL-FOREGROUND)
    (let* ((a (plug-in-spectide-rapsd RUN-NONINTERACTIVE img layer 0 0 0.5 0 1 "" FALSE))
           (n (plug-in-spectide-noise-lowpass RUN-NONINTERACTIVE img layer 0 0.5 0 1 7 3 0)))
      (spectide-report "tiny " (number->string width) "x" (number->string height)
                       " fmax " (number->string (list-ref a 3))
                       " layers " (number->string (car (gimp-item-get-children (cadr n))))))
    (gimp-image-delete img)))

; Indexed images are refused and left unchanged.
(define (spectide-indexed png)
  (let* ((img (spectide-load png))
         (drawable (car (gimp-image-get-active-layer img)))
         (dirty-before (car (gimp-image-is-dirty img)))
         (r1 (catch 'refused (plug-in-spectide-rapsd RUN-NONINTERACTIVE img drawable 0 0 0.3 0 1 "" FALSE)))
         (r2 (catch 'refused (plug-in-spectide-noise-lowpass RUN-NONINTERACTIVE img drawable 0 0.3 0 1 7 3 0))))
    (spectide-report "indexed rapsd " (if (eq? r1 'refused) "refused" "accepted")
                     " noise " (if (eq? r2 'refused) "refused" "accepted")
                     " layers " (number->string (car (gimp-image-get-layers img)))
                     " dirty " (number->string dirty-before) "->"
                     (number->string (car (gimp-image-is-dirty img)))
                     " base " (number->string (car (gimp-image-base-type img))))
    (gimp-image-delete img)))

; Opens a dialog (RUN-INTERACTIVE) on the photo; the batch command returns
; when the dialog is closed (the screenshot test presses Return).
(define (spectide-dialog png procedure)
  (let* ((img (spectide-load png))
         (drawable (car (gimp-image-get-active-layer img))))
    (gimp-display-new img)
    (if (string=? procedure "rapsd")
        (plug-in-spectide-rapsd RUN-INTERACTIVE img drawable 0 0 0.3 0 1 "" FALSE)
        (plug-in-spectide-noise-lowpass RUN-INTERACTIVE img drawable 0 0.3 0 1 7 3 0))
    (spectide-report "dialog " procedure " closed layers "
                     (number->string (car (gimp-image-get-layers img))))))

; Last values persist (gimp_set_data): RUN-WITH-LAST-VALS ignores its
; arguments and repeats the previous call's t.
(define (spectide-last-values)
  (let* ((img (car (gimp-image-new 32 24 RGB)))
         (layer (car (gimp-layer-new img 32 24 RGB-IMAGE "last" 100 LAYER-MODE-NORMAL))))
    (gimp-image-insert-layer img layer 0 0)
    (plug-in-spectide-noise-lowpass RUN-NONINTERACTIVE img layer 0 0.15 0 1 7 3 0)
    (let* ((r (plug-in-spectide-noise-lowpass RUN-WITH-LAST-VALS img layer 0 0.9 0 1 7 3 0))
           (noisy (vector-ref (cadr (gimp-item-get-children (cadr r))) 0)))
      (spectide-report "last-values " (car (gimp-item-get-name noisy))))
    (gimp-image-delete img)))

; A CSV path that cannot be written is a PDB error, and GIMP keeps running
; (the next batch command still executes).
(define (spectide-bad-csv dir)
  (let* ((img (car (gimp-image-new 16 12 RGB)))
         (layer (car (gimp-layer-new img 16 12 RGB-IMAGE "csv" 100 LAYER-MODE-NORMAL)))
         (path (string-append dir "/no-such-folder/rapsd.csv")))
    (gimp-image-insert-layer img layer 0 0)
    (gimp-drawable-fill layer FILL-FOREGROUND)
    (let ((r (catch 'refused
               (plug-in-spectide-rapsd RUN-NONINTERACTIVE img layer 0 0 0.5 0 1 path FALSE))))
      (spectide-report "bad-csv " (if (eq? r 'refused) "refused" "accepted")))
    (gimp-image-delete img)))

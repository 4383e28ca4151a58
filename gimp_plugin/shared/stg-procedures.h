/* The two PDB procedures as data: names, documentation, menu places,
 * arguments (name, range, default, where the value lives) and return
 * values. The GIMP 2.10 layer registers them with gimp_install_procedure,
 * the GIMP 3 layer with gimp_procedure_add_*_argument, so both versions
 * offer the same procedures with the same arguments from one description.
 * (GIMP 3's image procedures take a `drawables` array where 2.10 takes one
 * `drawable`; the arguments after it are the same.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef STG_PROCEDURES_H
#define STG_PROCEDURES_H

#include <stddef.h>

#include "spectide_tide.h"
#include "stg-tide.h"

#define STG_RAPSD_PROC  "plug-in-spectide-rapsd"
#define STG_NOISE_PROC  "plug-in-spectide-noise-lowpass"
#define STG_BINARY      "spectide"
#define STG_AUTHORS     "spectide authors"
#define STG_DATE        "2026"
#define STG_IMAGE_TYPES "RGB*, GRAY*"
/* The GEGL operation Noise as Low-pass can attach as a filter (GIMP 3). */
#define STG_GEGL_OPERATION "spectide:noise-lowpass"

typedef enum {
    STG_VALUE_INT,
    STG_VALUE_DOUBLE,
    STG_VALUE_STRING,
    STG_VALUE_BOOLEAN,
    STG_VALUE_CHOICE /* one of core's lists: a GimpChoice in GIMP 3, an INT in 2.10 */
} stg_value_type;

/* One of core's lists (schedules, channels, tide views), read from core's
 * table: the index is the core enum, the name what GIMP 3's GimpChoice
 * passes ("rectified-flow"), the label what a menu shows. */
typedef struct {
    int count;
    const char *(*name)(int index);
    const char *(*label)(int index);
} stg_choices;

extern const stg_choices stg_schedule_choices; /* st_schedule */
extern const stg_choices stg_channel_choices;  /* st_channel */
extern const stg_choices stg_view_choices;     /* st_tide_view */

typedef struct {
    stg_value_type type;
    const char *name;           /* PDB name */
    const char *label;          /* dialog label, with mnemonic */
    const char *blurb;          /* PDB description (a choice's list is added to it) */
    const stg_choices *choices; /* STG_VALUE_CHOICE: the list, whose range it takes */
    double minimum, maximum, default_value;
    /* Dialog sliders (a narrower, useful range; the entry takes the PDB range). */
    double ui_minimum, ui_maximum, ui_step;
    int ui_digits;
    size_t offset; /* of the value in the procedure's params struct */
} stg_argument;

typedef enum { STG_RETURN_DOUBLE, STG_RETURN_IMAGE, STG_RETURN_LAYER } stg_return_type;

typedef struct {
    stg_return_type type;
    const char *name;
    const char *label;
    const char *blurb;
} stg_return_value;

typedef struct {
    const char *name;
    const char *blurb;
    const char *help;
    const char *menu_label;
    const char *menu_path;
    const char *dialog_title;
    const stg_argument *arguments; /* after run-mode, image, drawable(s) */
    int argument_count;
    const stg_return_value *return_values;
    int return_count;
} stg_procedure;

/* plug-in-spectide-rapsd */
typedef struct {
    gint channel; /* st_channel */
    stg_tide tide;
    const gchar *csv_filename; /* "" or NULL: no CSV; borrowed */
    gboolean plot_as_image;
} stg_rapsd_params;

/* plug-in-spectide-noise-lowpass */
typedef struct {
    stg_tide tide;
    gint seed;
    gint view;    /* st_tide_view: what the preview (and a GIMP 3 filter) shows */
    gint channel; /* analysis channel for S(f) and f_max */
} stg_noise_params;

extern const stg_procedure stg_rapsd_procedure;
extern const stg_procedure stg_noise_procedure;

/* The value of `argument` inside a params struct. */
static inline void *stg_argument_value(const stg_argument *argument, void *params)
{
    return (char *)params + argument->offset;
}

/* Every argument at its default. */
void stg_params_set_defaults(const stg_procedure *procedure, void *params);
/* FALSE with a message naming the argument for values out of range. */
gboolean stg_params_validate(const stg_procedure *procedure, const void *params, GError **error);

/* The argument called `name` of a procedure, or NULL. */
const stg_argument *stg_argument_named(const stg_procedure *procedure, const char *name);
/* The PDB blurb of a GIMP 2.10 INT argument: the argument's blurb and, for
 * a choice, its list with the numbers to pass: "Diffusion schedule:
 * rectified-flow (0), sd3 (1), ..." (g_free it). */
gchar *stg_argument_blurb(const stg_argument *argument);
/* The largest value of an argument (for a choice: its count - 1). */
double stg_argument_maximum(const stg_argument *argument);

/* The message for indexed drawables (both procedures refuse them). */
#define STG_MESSAGE_INDEXED                                                                        \
    "spectide works on RGB and grayscale images, not indexed ones: "                               \
    "convert the image to RGB first (Image > Mode > RGB)"

#endif

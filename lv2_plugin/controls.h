/* spectide.lv2: the ports of both plugins, described once.
 *
 * The table in controls.c is the one source of the ports' symbols, names,
 * ranges, defaults, enumerations, units, display formats and port groups:
 * the DSP clamps and defaults with it, the UI builds its widgets from it,
 * and ttl_gen.c writes the ports of spectide.ttl from it at build time.
 *
 * Port indices. Mono: 0 in, 1 out, then the ports of stl_port in order,
 * without `channel`. Stereo: 0 in_l, 1 in_r, 2 out_l, 3 out_r, then every
 * port of stl_port in order. (`channel` and the display ports came after
 * the first release's last port, so the indices of the older ports never
 * moved: Ardour saves automation by port index.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#ifndef SPECTIDE_LV2_CONTROLS_H
#define SPECTIDE_LV2_CONTROLS_H

#define STL_URI_PREFIX "urn:spectide:"
#define STL_URI_MONO   STL_URI_PREFIX "mono"
#define STL_URI_STEREO STL_URI_PREFIX "stereo"
#define STL_URI_UI     STL_URI_PREFIX "ui"

/* Every port but the audio ones. */
typedef enum {
    STL_PORT_CONTROL = 0,   /* atom input: messages from the UI */
    STL_PORT_NOTIFY,        /* atom output: messages to the UI */
    STL_PORT_FFT_SIZE,      /* Analysis */
    STL_PORT_AVERAGING,     /* Analysis */
    STL_PORT_ANALYSIS_RATE, /* Analysis */
    STL_PORT_MEL_BANDS,     /* Analysis */
    STL_PORT_TIDE_MODE,     /* Noise tide */
    STL_PORT_SCHEDULE,      /* Noise tide */
    STL_PORT_T,             /* Noise tide */
    STL_PORT_SIGMA_DB,      /* Noise tide */
    STL_PORT_TAU_DB,        /* Noise tide */
    STL_PORT_AUDITION,      /* Audition */
    STL_PORT_FREEZE,        /* Analysis */
    STL_PORT_SEED,          /* Audition */
    STL_PORT_SLOPE,         /* Readings (output) */
    STL_PORT_ALPHA,         /* Readings (output) */
    STL_PORT_ABOVE_BINS,    /* Readings (output) */
    STL_PORT_ABOVE_ENERGY,  /* Readings (output) */
    STL_PORT_LATENCY,       /* Readings (output): lv2:reportsLatency */
    STL_PORT_CHANNEL,       /* Analysis, stereo plugin only */
    STL_PORT_DISPLAY_TOP,   /* Display: top of the dB axis, or auto */
    STL_PORT_DISPLAY_RANGE, /* Display: dB shown below the top */
    STL_PORT_COUNT
} stl_port;

/* Audio ports. */
enum {
    STL_MONO_IN = 0,
    STL_MONO_OUT = 1,
    STL_MONO_FIRST = 2, /* index of STL_PORT_CONTROL */
    STL_STEREO_IN_L = 0,
    STL_STEREO_IN_R = 1,
    STL_STEREO_OUT_L = 2,
    STL_STEREO_OUT_R = 3,
    STL_STEREO_FIRST = 4
};
/* rsz:minimumSize of the notify port, bytes. */
#define STL_NOTIFY_MIN_SIZE 65536

#define STL_MONO_PORT_COUNT   (STL_MONO_FIRST + STL_PORT_COUNT - 1)
#define STL_STEREO_PORT_COUNT (STL_STEREO_FIRST + STL_PORT_COUNT)

/* The LV2 port index of `port` in the mono or stereo plugin; -1 if that
 * plugin has no such port (the mono plugin's channel). */
int stl_port_index(int stereo, stl_port port);
/* The inverse: which stl_port an index is; -1 for audio ports and
 * indices past the end. */
int stl_port_from_index(int stereo, int index);

typedef enum {
    STL_KIND_ATOM_INPUT = 0,
    STL_KIND_ATOM_OUTPUT,
    STL_KIND_FLOAT,        /* input, continuous */
    STL_KIND_INTEGER,      /* input, whole numbers */
    STL_KIND_ENUMERATION,  /* input, one of the choices */
    STL_KIND_TOGGLE,       /* input, 0 or 1 */
    STL_KIND_OUTPUT_FLOAT, /* output, continuous */
    STL_KIND_OUTPUT_INTEGER
} stl_port_kind;

typedef enum {
    STL_GROUP_NONE = 0, /* the atom ports */
    STL_GROUP_ANALYSIS,
    STL_GROUP_TIDE,
    STL_GROUP_AUDITION,
    STL_GROUP_DISPLAY,
    STL_GROUP_READINGS,
    STL_GROUP_COUNT
} stl_group;

typedef struct {
    const char *symbol; /* lv2:symbol of the pg:Group */
    const char *label;  /* rdfs:label, what hosts show */
} stl_group_info;

/* Units of our own, so that every host renders every value in one format
 * (Ardour renders units:render with printf and a double: a format must
 * take a floating-point value, never %d). */
typedef enum {
    STL_UNIT_NONE = 0,
    STL_UNIT_SAMPLES,
    STL_UNIT_SECONDS,
    STL_UNIT_HERTZ,
    STL_UNIT_BANDS,
    STL_UNIT_DBFS,
    STL_UNIT_DB,
    STL_UNIT_DB_WHOLE,
    STL_UNIT_TIME,
    STL_UNIT_SEED,
    STL_UNIT_DB_PER_OCTAVE,
    STL_UNIT_EXPONENT,
    STL_UNIT_PERCENT,
    STL_UNIT_COUNT
} stl_unit;

typedef struct {
    const char *name;   /* st:NAME in the TTL */
    const char *label;  /* rdfs:label */
    const char *symbol; /* units:symbol ("" for none) */
    const char *render; /* units:render: a printf format for one double */
} stl_unit_info;

typedef struct {
    float value;
    const char *label;       /* rdfs:label of the scale point (generic editors) */
    const char *short_label; /* the plugin's own UI, where room is short */
} stl_choice;

#define STL_CHOICES_MAX 8

typedef struct {
    const char *symbol;
    const char *name; /* lv2:name */
    const char *comment;
    stl_port_kind kind;
    stl_group group;
    float minimum, maximum, fallback; /* fallback: lv2:default */
    int logarithmic;
    stl_unit unit;
    int choice_count;
    stl_choice choices[STL_CHOICES_MAX];
    int stereo_only;
} stl_port_info;

extern const stl_port_info stl_ports[STL_PORT_COUNT];
extern const stl_unit_info stl_units[STL_UNIT_COUNT];
extern const stl_group_info stl_groups[STL_GROUP_COUNT];

/* A control value as the DSP uses it: NaN and +-Inf give the default,
 * anything else is clamped to the port's range. */
double stl_port_value(stl_port port, const float *value);
/* An integer control: clamped first, then rounded, so that huge values
 * (1e30) cannot overflow lround and land on an arbitrary setting. */
int stl_port_integer(stl_port port, const float *value);
/* printf of the value in the port's unit ("-40.0 dBFS"), or the label of
 * the choice it equals; returns `out`. */
const char *stl_port_format(stl_port port, double value, char *out, unsigned size);

/* The choice values of the ports that have them. */
enum { STL_TIDE_SIGMA = 0, STL_TIDE_SCHEDULE = 1 };
enum { STL_AUDITION_OFF = 0, STL_AUDITION_NOISE, STL_AUDITION_MASK, STL_AUDITION_RESIDUAL };
enum { STL_CHANNEL_MID = 0, STL_CHANNEL_LEFT, STL_CHANNEL_RIGHT, STL_CHANNEL_SIDE };
/* display_top: a dB value, or this one for "follow the signal". */
#define STL_DISPLAY_TOP_AUTO 100.0f

#endif /* SPECTIDE_LV2_CONTROLS_H */

/* spectide.lv2 build tool: writes spectide.ttl from its template and the
 * table of ports (controls.c), so that the ranges, defaults, choices,
 * units and groups the TTL declares are those the DSP and the UI use.
 *
 * Usage: ttl_gen TEMPLATE OUTPUT
 * The template's placeholders, each on its own:
 *   @DEFINITIONS@   the units and port groups of the table
 *   @MONO_PORTS@    ", [ ... ]" for every port of the mono plugin after its audio ports
 *   @STEREO_PORTS@  the same for the stereo plugin
 * The output is written to OUTPUT.tmp and renamed: never half a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "controls.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_integer_kind(const stl_port_info *info)
{
    if (info->kind == STL_KIND_INTEGER || info->kind == STL_KIND_TOGGLE ||
        info->kind == STL_KIND_OUTPUT_INTEGER) {
        return 1;
    }
    if (info->kind != STL_KIND_ENUMERATION) {
        return 0;
    }
    for (int i = 0; i < info->choice_count; i++) {
        if (info->choices[i].value != floorf(info->choices[i].value)) {
            return 0;
        }
    }
    return 1;
}

/* Integers as integers; other values as decimals that read back exactly
 * as the float the DSP holds (Turtle: a decimal needs its point). */
static void put_number(FILE *out, double value, int integer)
{
    if (integer) {
        fprintf(out, "%ld", lround(value));
        return;
    }
    char text[64];
    snprintf(text, sizeof text, "%.7g", value);
    if (!strpbrk(text, ".e")) {
        strcat(text, ".0");
    }
    fputs(text, out);
}

static void put_definitions(FILE *out)
{
    fputs("# Units of our own: one display format per kind of value (units:render\n"
          "# takes a double in every host; never %d).\n",
          out);
    for (int u = 1; u < STL_UNIT_COUNT; u++) {
        const stl_unit_info *unit = &stl_units[u];
        fprintf(out, "st:%s\n\ta units:Unit ;\n\trdfs:label \"%s\" ;\n", unit->name, unit->label);
        if (unit->symbol[0]) {
            fprintf(out, "\tunits:symbol \"%s\" ;\n", unit->symbol);
        }
        fprintf(out, "\tunits:render \"%s\" .\n\n", unit->render);
    }
    fputs("# Port groups: how generic editors (Ardour's, jalv's) arrange the controls.\n", out);
    for (int g = 1; g < STL_GROUP_COUNT; g++) {
        fprintf(out, "st:%s\n\ta pg:Group ;\n\tlv2:symbol \"%s\" ;\n\trdfs:label \"%s\" .\n\n",
                stl_groups[g].symbol, stl_groups[g].symbol, stl_groups[g].label);
    }
}

static void put_port(FILE *out, const stl_port_info *info, int index)
{
    int integer = is_integer_kind(info);
    fputs(" , [\n", out);
    switch (info->kind) {
    case STL_KIND_ATOM_INPUT:
    case STL_KIND_ATOM_OUTPUT:
        fprintf(out, "\t\ta lv2:%s , atom:AtomPort ;\n",
                info->kind == STL_KIND_ATOM_INPUT ? "InputPort" : "OutputPort");
        fputs("\t\tatom:bufferType atom:Sequence ;\n"
              "\t\tlv2:designation lv2:control ;\n"
              "\t\tlv2:portProperty lv2:connectionOptional ;\n",
              out);
        if (info->kind == STL_KIND_ATOM_OUTPUT) {
            fprintf(out, "\t\trsz:minimumSize %d ;\n", STL_NOTIFY_MIN_SIZE);
        }
        break;
    case STL_KIND_OUTPUT_FLOAT:
    case STL_KIND_OUTPUT_INTEGER:
        fputs("\t\ta lv2:OutputPort , lv2:ControlPort ;\n", out);
        break;
    default:
        fputs("\t\ta lv2:InputPort , lv2:ControlPort ;\n", out);
    }
    fprintf(out, "\t\tlv2:index %d ;\n\t\tlv2:symbol \"%s\" ;\n\t\tlv2:name \"%s\" ;\n", index,
            info->symbol, info->name);
    if (info->group != STL_GROUP_NONE) {
        fprintf(out, "\t\tpg:group st:%s ;\n", stl_groups[info->group].symbol);
    }
    if (info->kind != STL_KIND_ATOM_INPUT && info->kind != STL_KIND_ATOM_OUTPUT) {
        const char *names[] = {"default", "minimum", "maximum"};
        const float values[] = {info->fallback, info->minimum, info->maximum};
        for (int i = 0; i < 3; i++) {
            fprintf(out, "\t\tlv2:%s ", names[i]);
            put_number(out, values[i], integer);
            fputs(" ;\n", out);
        }
        const char *properties[4];
        int count = 0;
        if (integer && info->kind != STL_KIND_TOGGLE) {
            properties[count++] = "lv2:integer";
        }
        if (info->kind == STL_KIND_ENUMERATION) {
            properties[count++] = "lv2:enumeration";
        }
        if (info->kind == STL_KIND_TOGGLE) {
            properties[count++] = "lv2:toggled";
        }
        if (info->logarithmic) {
            properties[count++] = "pprops:logarithmic";
        }
        if (&stl_ports[STL_PORT_LATENCY] == info) {
            properties[count++] = "lv2:reportsLatency";
        }
        for (int i = 0; i < count; i++) {
            fprintf(out, "%s%s", i ? " , " : "\t\tlv2:portProperty ", properties[i]);
        }
        if (count) {
            fputs(" ;\n", out);
        }
        if (&stl_ports[STL_PORT_LATENCY] == info) {
            fputs("\t\tlv2:designation lv2:latency ;\n", out);
        }
        if (info->unit != STL_UNIT_NONE) {
            fprintf(out, "\t\tunits:unit st:%s ;\n", stl_units[info->unit].name);
        }
        for (int i = 0; i < info->choice_count; i++) {
            fprintf(out, "%s[ rdfs:label \"%s\" ; rdf:value ", i ? " , " : "\t\tlv2:scalePoint ",
                    info->choices[i].label);
            put_number(out, info->choices[i].value, integer);
            fputs(" ]", out);
        }
        if (info->choice_count) {
            fputs(" ;\n", out);
        }
    }
    fprintf(out, "\t\trdfs:comment \"%s\"\n\t]", info->comment);
}

static void put_ports(FILE *out, int stereo)
{
    for (int port = 0; port < STL_PORT_COUNT; port++) {
        int index = stl_port_index(stereo, (stl_port)port);
        if (index >= 0) {
            put_port(out, &stl_ports[port], index);
        }
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s TEMPLATE OUTPUT\n", argv[0]);
        return 2;
    }
    FILE *in = fopen(argv[1], "r");
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    char temporary[4096];
    snprintf(temporary, sizeof temporary, "%s.tmp", argv[2]);
    FILE *out = fopen(temporary, "w");
    if (!out) {
        perror(temporary);
        fclose(in);
        return 1;
    }
    fputs("# Generated by lv2_plugin/ttl_gen.c from spectide.ttl.in and the table of\n"
          "# ports in controls.c: edit those, not this file.\n",
          out);
    char line[4096];
    int placeholders = 0;
    while (fgets(line, sizeof line, in)) {
        char *mark;
        if (!strcmp(line, "@DEFINITIONS@\n")) {
            put_definitions(out);
            placeholders++;
        } else if ((mark = strstr(line, "@MONO_PORTS@")) ||
                   (mark = strstr(line, "@STEREO_PORTS@"))) {
            int stereo = mark[1] == 'S';
            fwrite(line, 1, (size_t)(mark - line), out);
            put_ports(out, stereo);
            fputs(mark + strlen(stereo ? "@STEREO_PORTS@" : "@MONO_PORTS@"), out);
            placeholders++;
        } else {
            fputs(line, out);
        }
    }
    int failed = ferror(in) || ferror(out);
    fclose(in);
    failed |= fclose(out) != 0;
    if (failed || placeholders != 3) {
        fprintf(stderr, "%s: %s\n", argv[0],
                failed ? "read or write error" : "the template lacks a placeholder");
        remove(temporary);
        return 1;
    }
    if (rename(temporary, argv[2]) != 0) {
        perror(argv[2]);
        remove(temporary);
        return 1;
    }
    return 0;
}

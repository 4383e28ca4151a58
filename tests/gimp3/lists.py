# GIMP 3 Python (python-fu-eval) half of run-lists-test.sh: what the real
# GIMP 3 offers for each choice argument of the spectide procedures (their
# GimpChoice: nicks in order and their ids) and for each enum property of
# the GEGL operation as a filter; then a run with the last schedule.
# Prints "SPECTIDE ..." lines; any Python exception makes GIMP exit with 64.
import os

from gi.repository import Gimp, Gio

pdb = Gimp.get_pdb()


def report(*parts):
    print("SPECTIDE " + " ".join(str(p) for p in parts), flush=True)


def choice_of(spec):
    """The GimpChoice of a choice argument, None for other arguments."""
    if spec.__gtype__.name != "GimpParamChoice":
        return None
    return Gimp.param_spec_choice_get_choice(spec)


def report_choices(owner, specs):
    for spec in specs:
        choice = choice_of(spec)
        if choice is None:
            continue
        nicks = choice.list_nicks()
        report("choice", owner, spec.name, *nicks)
        report("ids", owner, spec.name, *[choice.get_id(nick) for nick in nicks])


for name in ("plug-in-spectide-rapsd", "plug-in-spectide-noise-lowpass"):
    report_choices(name, pdb.lookup_procedure(name).get_arguments())

image = Gimp.Image.new(8, 6, Gimp.ImageBaseType.RGB)
layer = Gimp.Layer.new(image, "l", 8, 6, Gimp.ImageType.RGB_IMAGE, 100.0, Gimp.LayerMode.NORMAL)
image.insert_layer(layer, None, 0)
drawable_filter = Gimp.DrawableFilter.new(layer, "spectide:noise-lowpass", "lists")
config = drawable_filter.get_config()
report_choices("spectide:noise-lowpass", config.list_properties())

last = os.environ["SPECTIDE_LAST_SCHEDULE"]
procedure = pdb.lookup_procedure("plug-in-spectide-noise-lowpass")
config = procedure.create_config()
config.set_property("run-mode", Gimp.RunMode.NONINTERACTIVE)
config.set_property("image", image)
config.set_core_object_array("drawables", [layer])
config.set_property("schedule", last)
config.set_property("t", 0.3)
result = procedure.run(config)
report("run", "schedule", config.get_property("schedule"),
       "success" if result.index(0) == Gimp.PDBStatusType.SUCCESS else "failed")
image.delete()

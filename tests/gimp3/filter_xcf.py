# GIMP 3 Python (python-fu-eval) half of run-filter-tests.sh: the GEGL
# operation spectide:noise-lowpass as a non-destructive filter. Stages, one
# GIMP process each (SPECTIDE_STAGE):
#   attach      for each view, on a float and an 8-bit copy of the photo:
#               attach the filter with non-default properties, save the XCF;
#               run the plug-in with the same values on another copy and
#               dump its layer of that view, and the original pixels (.npy)
#   reload      open each XCF: the filter, its operation, name and every
#               property are found again; the layer's own pixels are the
#               original ones; merged, the filter gives the plug-in's layer
#   without-op  (GEGL_PATH without the operation) the XCF still opens, the
#               filter is dropped and the layer is the original
# Prints "SPECTIDE ..." lines for run-filter-tests.sh to check; any Python
# exception makes GIMP exit with 64.
import os

import numpy as np
from gi.repository import Gegl, Gimp, Gio

stage = os.environ["SPECTIDE_STAGE"]
folder = os.environ["SPECTIDE_DIR"]
photo = os.path.join(folder, "photo.png")
pdb = Gimp.get_pdb()

# Non-default values everywhere: a property that did not survive shows.
PROPERTIES = {"schedule": "sd3", "t": 0.35, "sigma": 0.0, "tau": 1.5, "seed": 42,
              "channel": "luma"}
# The plug-in's choices (GimpChoice) take the same names as the operation's enums.
PLUG_IN = {"schedule": "sd3", "t": 0.35, "sigma": 0.0, "tau": 1.5, "seed": 42, "channel": "luma"}
VIEWS = {"noisy": ("noisy", "noisy"), "low-pass": ("low-pass", "low-pass"),
         "wiener": ("Wiener", "wiener")}
PRECISIONS = {"float": Gimp.Precision.FLOAT_NON_LINEAR, "u8": Gimp.Precision.U8_NON_LINEAR}


def report(*parts):
    print("SPECTIDE " + " ".join(str(p) for p in parts), flush=True)


def load(path, precision=None):
    image = Gimp.file_load(Gimp.RunMode.NONINTERACTIVE, Gio.File.new_for_path(path))
    if precision is not None:
        image.convert_precision(precision)
    return image


def pixels(drawable):
    """The drawable's pixels as R'G'B'A float (GEGL converts any precision)."""
    width, height = drawable.get_width(), drawable.get_height()
    data = drawable.get_buffer().get(Gegl.Rectangle.new(0, 0, width, height), 1.0,
                                     "R'G'B'A float", Gegl.AbyssPolicy.NONE)
    return np.frombuffer(bytes(data), dtype=np.float32).reshape(height, width, 4).astype(np.float64)


def name(view, precision):
    return f"{view}-{precision}"


def attach():
    for precision, gimp_precision in PRECISIONS.items():
        for view, (layer_prefix, _) in VIEWS.items():
            image = load(photo, gimp_precision)
            layer = image.get_layers()[0]
            np.save(os.path.join(folder, name(view, precision) + "-original.npy"), pixels(layer))
            drawable_filter = Gimp.DrawableFilter.new(layer, "spectide:noise-lowpass",
                                                      "spectide " + view)
            config = drawable_filter.get_config()
            for key, value in PROPERTIES.items():
                config.set_property(key, value)
            config.set_property("view", view)
            drawable_filter.set_blend_mode(Gimp.LayerMode.REPLACE)
            drawable_filter.set_opacity(1.0)
            layer.append_filter(drawable_filter)
            report("attached", name(view, precision), len(layer.get_filters()))
            xcf = os.path.join(folder, name(view, precision) + ".xcf")
            Gimp.file_save(Gimp.RunMode.NONINTERACTIVE, image, Gio.File.new_for_path(xcf), None)
            report("saved", name(view, precision), os.path.getsize(xcf) > 0)
            image.delete()

            # The plug-in's own layer for the same values.
            image = load(photo, gimp_precision)
            layer = image.get_layers()[0]
            procedure = pdb.lookup_procedure("plug-in-spectide-noise-lowpass")
            config = procedure.create_config()
            config.set_property("run-mode", Gimp.RunMode.NONINTERACTIVE)
            config.set_property("image", image)
            config.set_core_object_array("drawables", [layer])
            for key, value in PLUG_IN.items():
                config.set_property(key, value)
            config.set_property("view-mode", VIEWS[view][1])
            result = procedure.run(config)
            status = result.index(0)
            group = result.index(2)
            made = [child for child in group.get_children() if child.get_name().startswith(layer_prefix)]
            report("plug-in", name(view, precision), status == Gimp.PDBStatusType.SUCCESS, len(made))
            np.save(os.path.join(folder, name(view, precision) + "-plugin.npy"), pixels(made[0]))
            image.delete()


def reload(with_op):
    for precision in PRECISIONS:
        for view in VIEWS:
            key = name(view, precision)
            image = load(os.path.join(folder, key + ".xcf"))
            layer = image.get_layers()[0]
            filters = layer.get_filters()
            original = np.load(os.path.join(folder, key + "-original.npy"))
            untouched = np.abs(pixels(layer) - original).max()
            report("reloaded", key, "filters", len(filters), "untouched", f"{untouched:.3g}")
            if not with_op or not filters:
                image.delete()
                continue
            drawable_filter = filters[0]
            report("operation", key, drawable_filter.get_operation_name(), "name",
                   drawable_filter.get_name().replace(" ", "_"))
            config = drawable_filter.get_config()
            wanted = dict(PROPERTIES, view=view)
            for prop, value in wanted.items():
                got = config.get_property(prop)
                # XCF keeps a filter's double properties at float precision.
                same = abs(got - value) < 1e-6 if isinstance(value, float) else got == value
                report("property", key, prop, str(got), "kept" if same else "changed")
            layer.merge_filters()
            merged = pixels(layer)
            plugin = np.load(os.path.join(folder, key + "-plugin.npy"))
            difference = np.abs(merged - plugin).max()
            report("merged", key, f"{difference:.3g}")
            image.delete()


if stage == "attach":
    attach()
elif stage == "reload":
    reload(True)
else:
    reload(False)
report("stage", stage, "done")

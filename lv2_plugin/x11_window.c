/* spectide.lv2 UI: the X11 window layer (see x11_window.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "x11_window.h"

#include <X11/Xlib.h>
#include <X11/Xresource.h>
#include <X11/Xutil.h>
#include <cairo-xlib.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct stl_window {
    Display *display;
    Window window;
    int toplevel;
    Atom wm_delete;
    int gone; /* destroyed with the host's parent: no more requests on it */
    GC gc;
    Pixmap back;   /* cairo-xlib fallback for visuals other than 24-bit TrueColor */
    XImage *image; /* shares the image surface's pixels */
    cairo_surface_t *surface;
    cairo_device_t *device;      /* cairo's per-Display state, finished before XCloseDisplay */
    int back_width, back_height; /* device pixels of the back buffer */
    int width, height;           /* device pixels of the window */
    int min_width, min_height;   /* device pixels */
    double scale;
};

/* Xft.dpi of the X server's resource database (what desktop toolkits use). */
static double xft_scale(Display *display)
{
    double scale = 1.0;
    const char *resources = XResourceManagerString(display);
    if (!resources) {
        return scale;
    }
    XrmInitialize();
    XrmDatabase database = XrmGetStringDatabase(resources);
    if (!database) {
        return scale;
    }
    char *type = NULL;
    XrmValue value;
    if (XrmGetResource(database, "Xft.dpi", "Xft.Dpi", &type, &value) && value.addr) {
        double dpi = atof(value.addr);
        if (dpi > 0) {
            scale = dpi / 96.0;
        }
    }
    XrmDestroyDatabase(database);
    return scale;
}

static void set_size_hints(stl_window *w)
{
    XSizeHints *hints = XAllocSizeHints();
    if (!hints) {
        return;
    }
    hints->flags = PMinSize | PBaseSize;
    hints->min_width = w->min_width;
    hints->min_height = w->min_height;
    hints->base_width = w->width;
    hints->base_height = w->height;
    XSetWMNormalHints(w->display, w->window, hints);
    XFree(hints);
}

stl_window *stl_window_new(uintptr_t parent, const char *title, double width, double height,
                           double min_width, double min_height, double host_scale)
{
    stl_window *w = calloc(1, sizeof *w);
    if (!w) {
        return NULL;
    }
    w->display = XOpenDisplay(NULL);
    if (!w->display) {
        fprintf(stderr, "spectide UI: cannot open the X display \"%s\"\n",
                getenv("DISPLAY") ? getenv("DISPLAY") : "");
        free(w);
        return NULL;
    }
    /* HiDPI: the host's ui:scaleFactor wins over the server's Xft.dpi. */
    w->scale = host_scale > 0 ? host_scale : xft_scale(w->display);
    if (!(w->scale >= 0.5 && w->scale <= 4.0)) {
        w->scale = 1.0;
    }
    w->width = (int)lround(width * w->scale);
    w->height = (int)lround(height * w->scale);
    w->min_width = (int)ceil(min_width * w->scale);
    w->min_height = (int)ceil(min_height * w->scale);

    int screen = DefaultScreen(w->display);
    w->toplevel = parent == 0;
    Window parent_window = parent ? (Window)parent : RootWindow(w->display, screen);
    /* Our own visual and colormap (the default ones), with an explicit border
     * pixel: the host's parent may use another visual (e.g. ARGB), and the
     * back buffer must match our window for XCopyArea. */
    XSetWindowAttributes attributes;
    memset(&attributes, 0, sizeof(attributes));
    attributes.background_pixel = WhitePixel(w->display, screen);
    attributes.border_pixel = BlackPixel(w->display, screen);
    attributes.colormap = DefaultColormap(w->display, screen);
    attributes.bit_gravity = NorthWestGravity;
    attributes.event_mask = ExposureMask | StructureNotifyMask | ButtonPressMask |
                            ButtonReleaseMask | PointerMotionMask | LeaveWindowMask;
    w->window = XCreateWindow(
        w->display, parent_window, 0, 0, (unsigned)w->width, (unsigned)w->height, 0,
        DefaultDepth(w->display, screen), InputOutput, DefaultVisual(w->display, screen),
        CWBackPixel | CWBorderPixel | CWColormap | CWEventMask | CWBitGravity, &attributes);
    XStoreName(w->display, w->window, title);
    set_size_hints(w);
    if (w->toplevel) {
        w->wm_delete = XInternAtom(w->display, "WM_DELETE_WINDOW", False);
        XSetWMProtocols(w->display, w->window, &w->wm_delete, 1);
    }
    w->gc = XCreateGC(w->display, w->window, 0, NULL);
    XMapRaised(w->display, w->window);
    XFlush(w->display);
    return w;
}

uintptr_t stl_window_id(const stl_window *w)
{
    return (uintptr_t)w->window;
}

double stl_window_scale(const stl_window *w)
{
    return w->scale;
}

void stl_window_size(const stl_window *w, int *width, int *height)
{
    *width = w->width;
    *height = w->height;
}

int stl_window_gone(const stl_window *w)
{
    return w->gone;
}

int stl_window_next_event(stl_window *w, stl_window_event *out)
{
    while (XPending(w->display) > 0) {
        XEvent event;
        XNextEvent(w->display, &event);
        memset(out, 0, sizeof *out);
        switch (event.type) {
        case Expose:
            if (event.xexpose.count == 0) {
                out->type = STL_EVENT_EXPOSE;
                return 1;
            }
            break;
        case ConfigureNotify:
            if (event.xconfigure.window == w->window &&
                (event.xconfigure.width != w->width || event.xconfigure.height != w->height)) {
                w->width = event.xconfigure.width;
                w->height = event.xconfigure.height;
                out->type = STL_EVENT_RESIZE;
                return 1;
            }
            break;
        case ButtonPress:
        case ButtonRelease:
            out->type = event.type == ButtonPress ? STL_EVENT_PRESS : STL_EVENT_RELEASE;
            out->x = event.xbutton.x / w->scale;
            out->y = event.xbutton.y / w->scale;
            out->button = (int)event.xbutton.button;
            return 1;
        case MotionNotify:
            out->type = STL_EVENT_MOTION;
            out->x = event.xmotion.x / w->scale;
            out->y = event.xmotion.y / w->scale;
            return 1;
        case LeaveNotify:
            out->type = STL_EVENT_LEAVE;
            return 1;
        case DestroyNotify:
            if (event.xdestroywindow.window == w->window) {
                w->gone = 1;
            }
            break;
        case ClientMessage:
            if ((Atom)event.xclient.data.l[0] == w->wm_delete) {
                out->type = STL_EVENT_CLOSE;
                return 1;
            }
            break;
        default:
            break;
        }
    }
    return 0;
}

/* The back buffer. On the usual 24-bit TrueColor visual, cairo draws into
 * an image surface whose pixels an XImage shares, sent with XPutImage: no
 * cairo-xlib device, whose per-connection state cairo 1.16 never frees when
 * a UI closes its X connection (valgrind: ~29 kB per open/close cycle).
 * Other visuals fall back to a Pixmap drawn through cairo-xlib. */
static int pixels_match_visual(const stl_window *w)
{
    int screen = DefaultScreen(w->display);
    Visual *visual = DefaultVisual(w->display, screen);
    return DefaultDepth(w->display, screen) == 24 && visual->red_mask == 0xff0000 &&
           visual->green_mask == 0xff00 && visual->blue_mask == 0xff;
}

static void free_back_buffer(stl_window *w)
{
    if (w->image) {
        w->image->data = NULL; /* cairo owns the pixels */
        XDestroyImage(w->image);
        w->image = NULL;
    }
    if (w->surface) {
        cairo_surface_destroy(w->surface);
        w->surface = NULL;
    }
    if (w->back) {
        XFreePixmap(w->display, w->back);
        w->back = 0;
    }
}

static int ensure_back_buffer(stl_window *w)
{
    if (w->surface && w->back_width == w->width && w->back_height == w->height) {
        return 1;
    }
    free_back_buffer(w);
    int screen = DefaultScreen(w->display);
    Visual *visual = DefaultVisual(w->display, screen);
    w->back_width = w->width;
    w->back_height = w->height;
    if (pixels_match_visual(w)) {
        w->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w->width, w->height);
        if (cairo_surface_status(w->surface) != CAIRO_STATUS_SUCCESS) {
            return 0;
        }
        w->image =
            XCreateImage(w->display, visual, 24, ZPixmap, 0,
                         (char *)cairo_image_surface_get_data(w->surface), (unsigned)w->width,
                         (unsigned)w->height, 32, cairo_image_surface_get_stride(w->surface));
        if (!w->image) {
            return 0;
        }
        /* cairo stores native-endian 32-bit words; Xlib swaps if the server differs. */
        const uint32_t one = 1;
        w->image->byte_order = *(const uint8_t *)&one ? LSBFirst : MSBFirst;
        return 1;
    }
    w->back = XCreatePixmap(w->display, w->window, (unsigned)w->width, (unsigned)w->height,
                            (unsigned)DefaultDepth(w->display, screen));
    w->surface = cairo_xlib_surface_create(w->display, w->back, visual, w->width, w->height);
    if (!w->device && cairo_surface_get_device(w->surface)) {
        w->device = cairo_device_reference(cairo_surface_get_device(w->surface));
    }
    return cairo_surface_status(w->surface) == CAIRO_STATUS_SUCCESS;
}

cairo_t *stl_window_begin_draw(stl_window *w)
{
    if (w->gone || w->width < 1 || w->height < 1 || !ensure_back_buffer(w)) {
        return NULL;
    }
    cairo_t *cr = cairo_create(w->surface);
    cairo_scale(cr, w->scale, w->scale);
    return cr;
}

void stl_window_present(stl_window *w, cairo_t *cr)
{
    cairo_destroy(cr);
    cairo_surface_flush(w->surface);
    if (w->image) {
        XPutImage(w->display, w->window, w->gc, w->image, 0, 0, 0, 0, (unsigned)w->width,
                  (unsigned)w->height);
    } else {
        XCopyArea(w->display, w->back, w->window, w->gc, 0, 0, (unsigned)w->width,
                  (unsigned)w->height, 0, 0);
    }
    XFlush(w->display);
}

void stl_window_resize(stl_window *w, int width, int height)
{
    if (w->gone) {
        return;
    }
    width = width < w->min_width ? w->min_width : width;
    height = height < w->min_height ? w->min_height : height;
    XResizeWindow(w->display, w->window, (unsigned)width, (unsigned)height);
    XFlush(w->display);
}

void stl_window_free(stl_window *w)
{
    if (!w) {
        return;
    }
    if (w->window) {
        free_back_buffer(w);
        XFreeGC(w->display, w->gc);
        /* Hosts (suil) may destroy the parent, and with it our window, before
         * calling cleanup: destroying it again would be an X error, fatal
         * under Xlib's default handler. After a round trip, the server has
         * told us if that happened; the host cannot act in between (same thread). */
        XSync(w->display, False);
        XEvent event;
        while (XCheckTypedWindowEvent(w->display, w->window, DestroyNotify, &event)) {
            w->gone = 1;
        }
        if (!w->gone) {
            XDestroyWindow(w->display, w->window);
        }
    }
    if (w->device) {
        /* cairo keeps one device per X connection; without finishing it here
         * every open/close cycle of the UI would leak it with its caches. */
        cairo_device_finish(w->device);
        cairo_device_destroy(w->device);
    }
    XCloseDisplay(w->display);
    free(w);
}

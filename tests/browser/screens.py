"""The screens the accessibility tests check every page on, as Playwright context options.

200% zoom is emulated as a 640 x 450 CSS pixel viewport at a device scale factor of 2: what a
1280 x 900 screen shows when the reader zooms to 200%.
"""

SCREENS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 1},
    "desktop": {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 1},
    "zoom-200": {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2},
}

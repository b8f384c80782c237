// The organisation form: shows the chosen logo before it is saved. A data: URL, since the
// Content-Security-Policy allows images from the app and data: only.
document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll("input[type=file][data-logo-preview]")) {
    const preview = document.getElementById(input.dataset.logoPreview);
    if (!preview) continue;
    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      if (!file || !file.type.startsWith("image/")) return;
      const reader = new FileReader();
      reader.addEventListener("load", () => {
        preview.src = reader.result;
        preview.classList.remove("d-none");
        preview.dataset.previewing = "true";
      });
      reader.readAsDataURL(file);
    });
  }
});

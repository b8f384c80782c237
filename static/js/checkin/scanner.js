// Reading tickets: the camera (the browser's BarcodeDetector, else jsQR), and a hardware
// scanner, which types the code and Enter like a keyboard.

import { $, S, ticketCode } from "./common.js";

let stream = null;
let detector = null;
let frameTimer = null;
let seen = { code: null, at: 0 };
let whenRead = null; // what to do with a ticket read
const canvas = document.createElement("canvas");

export const cameraOn = () => stream !== null;

export async function startCamera(onTicket) {
  whenRead = onTicket;
  const status = $("camera-status");
  $("camera").hidden = false;
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    status.textContent = S.camera_insecure;
    return;
  }
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: { ideal: "environment" } }, audio: false,
    });
  } catch (e) {
    status.textContent = e.name === "NotAllowedError" ? S.camera_denied : S.camera_missing;
    return;
  }
  const video = $("camera-video");
  video.srcObject = stream;
  await video.play();
  if ("BarcodeDetector" in window) {
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (formats.includes("qr_code")) detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    } catch (e) {
      detector = null;
    }
  }
  status.textContent = S.camera_on;
  $("camera-toggle").textContent = S.camera_stop;
  $("camera-toggle").setAttribute("aria-expanded", "true");
  readFrame();
}

export function stopCamera() {
  clearTimeout(frameTimer);
  if (stream) stream.getTracks().forEach((t) => t.stop());
  stream = null;
  $("camera-video").srcObject = null;
  $("camera").hidden = true;
  $("camera-toggle").textContent = S.camera_start;
  $("camera-toggle").setAttribute("aria-expanded", "false");
}

async function readFrame() {
  if (!stream) return;
  const video = $("camera-video");
  let code = null;
  if (video.readyState >= 2 && video.videoWidth) {
    if (detector) {
      try {
        const found = await detector.detect(video);
        code = found.length ? found[0].rawValue : null;
      } catch (e) {
        detector = null; // fall back to jsQR
      }
    } else if (window.jsQR) {
      const scale = Math.min(1, 640 / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      const context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      code = found ? found.data : null;
    }
  }
  if (code) {
    code = ticketCode(code);
    // A ticket held in front of the camera is read once, not at every frame.
    const now = Date.now();
    const again = code === seen.code && now - seen.at < 2000;
    seen = { code, at: now };
    if (!again) whenRead(code);
  }
  frameTimer = setTimeout(readFrame, 150);
}

export function toTheLookup(event) {
  // A hardware scanner types wherever the focus is (say, on the camera button): its
  // letters and digits go to the field, whose Enter then checks the ticket in.
  const active = document.activeElement;
  const typing = active && (active.isContentEditable || active.matches("input:not([type=checkbox]), textarea, select"));
  if (!typing && /^[A-Za-z0-9]$/.test(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey) {
    $("lookup").focus();
  }
}

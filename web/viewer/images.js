// Face and frame images, loaded when they scroll into view, a few at a
// time, and retried when refused. Each is ~0.3 s of ffmpeg on the server,
// whose job queue answers 503 when a page asks for dozens at once; the
// browser's own lazy loading would send them all.
import { el } from './dom.js';

const k_parallel = 2;
const k_attempts = 4;

const waiting = [];
let running = 0;

function pump() {
  while (running < k_parallel && waiting.length > 0) {
    const job = waiting.shift();
    running += 1;
    load(job.img, job.url, 1);
  }
}

function finish() {
  running -= 1;
  pump();
}

// Loads `url` into `img`; a failure (a 503 from a full queue) is retried
// after 1, 2, 3 s, then the image keeps its placeholder and says so.
function load(img, url, attempt) {
  img.onload = () => {
    // Later loads of this <img> (a preview played on hover) are not ours.
    img.onload = null;
    img.onerror = null;
    img.dataset.state = 'loaded';
    finish();
  };
  img.onerror = () => {
    if (attempt >= k_attempts) {
      img.onload = null;
      img.onerror = null;
      img.dataset.state = 'failed';
      img.title = 'This image could not be loaded.';
      finish();
      return;
    }
    setTimeout(() => {
      img.removeAttribute('src');
      load(img, url, attempt + 1);
    }, 1000 * attempt);
  };
  img.src = url;
}

const observer = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (!entry.isIntersecting) continue;
    observer.unobserve(entry.target);
    waiting.push({ img: entry.target, url: entry.target.dataset.src });
  }
  pump();
}, { rootMargin: '200px' });

// An <img> of fixed size (no layout jump) that loads `url` once visible.
export function lazy_image(url, alt, size, class_name = 'face') {
  const img = el('img', { class: class_name, alt, width: size, height: size, 'data-src': url, 'data-state': 'waiting' });
  observer.observe(img);
  return img;
}

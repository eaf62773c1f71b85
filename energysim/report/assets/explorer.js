// energysim report: the dispatch explorer (and, for print, the folded sections opened). Draws one week of
// the city's hourly dispatch as an SVG stack (supply above zero, consumption and sales below), its demand and its
// price, from the data packed in the page (#explorer-data: JSON, gzip, base64). No library; the page works
// without it (static charts below).
(function () {
  "use strict";
  const root = document.getElementById("explorer");
  if (!root) return;
  const SVG = "http://www.w3.org/2000/svg";
  const WEEK = 168;
  const W = 960, H = 420, LEFT = 64, RIGHT = 64, TOP = 12, BOTTOM = 44;
  const words = JSON.parse(document.getElementById("explorer-words").textContent);
  const status = root.querySelector(".explorer-status");
  const chart = root.querySelector(".explorer-chart");
  const tip = root.querySelector(".explorer-tip");
  const slider = root.querySelector("input[type=range]");
  const label = root.querySelector(".explorer-label");
  const select = root.querySelector("select");
  let data = null;
  let week = 0;

  function el(name, attrs, parent) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
    if (parent) parent.appendChild(node);
    return node;
  }

  async function unpack(text) {
    const bytes = Uint8Array.from(atob(text.trim()), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return JSON.parse(await new Response(stream).text());
  }

  // the time of hour i, formatted as written in the results (naive local time; no time-zone shift)
  function timeOf(i) {
    const [date, clock] = data.start.split("T");
    const [y, m, d] = date.split("-").map(Number);
    const [hh, mm] = clock.split(":").map(Number);
    return new Date(Date.UTC(y, m - 1, d, hh, mm) + i * 3600e3);
  }
  const day = (t) => t.toISOString().slice(0, 10);
  const stamp = (t) => t.toISOString().slice(0, 16).replace("T", " ");

  function niceTicks(lo, hi, count) {
    const span = Math.max(hi - lo, 1e-9);
    const raw = span / count;
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((f) => f * power).find((s) => s >= raw);
    const ticks = [];
    for (let v = Math.floor(lo / step) * step; ; v += step) {
      ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
      if (v >= hi - step * 1e-9) return ticks; // the last tick covers the highest value
    }
  }
  const fmt = (v) => Math.round(v).toLocaleString("en-US");

  function draw() {
    const first = week * WEEK;
    const last = Math.min(data.hours, first + WEEK);
    const n = last - first;
    const up = new Float64Array(n), down = new Float64Array(n);
    const layers = data.series.map((s) => {
      const base = s.sign > 0 ? up : down;
      const lower = Float64Array.from(base);
      for (let i = 0; i < n; i++) base[i] += s.sign * s.values[first + i];
      return { s, lower, upper: Float64Array.from(base) };
    });
    const demand = data.demand.slice(first, last);
    const price = data.price.slice(first, last);
    let top = Math.max(...up, ...demand, 1), bottom = Math.min(...down, 0);
    const yTicks = niceTicks(bottom, top, 6);
    bottom = Math.min(bottom, yTicks[0]);
    top = Math.max(top, yTicks[yTicks.length - 1]);
    const pTicks = niceTicks(Math.min(...price, 0), Math.max(...price, 1), 5);
    const pLo = pTicks[0], pHi = pTicks[pTicks.length - 1];
    const x = (i) => LEFT + ((W - LEFT - RIGHT) * i) / Math.max(n - 1, 1);
    const y = (v) => TOP + ((H - TOP - BOTTOM) * (top - v)) / (top - bottom);
    const yp = (v) => TOP + ((H - TOP - BOTTOM) * (pHi - v)) / (pHi - pLo);

    const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, width: "100%", class: "explorer-svg" });
    for (const v of yTicks) {
      el("line", { x1: LEFT, x2: W - RIGHT, y1: y(v), y2: y(v), class: v === 0 ? "zero" : "grid" }, svg);
      el("text", { x: LEFT - 6, y: y(v) + 4, "text-anchor": "end" }, svg).textContent = fmt(v);
    }
    for (const v of pTicks) {
      el("text", { x: W - RIGHT + 6, y: yp(v) + 4, class: "price-tick" }, svg).textContent = fmt(v);
    }
    for (const layer of layers) {
      let d = "";
      for (let i = 0; i < n; i++) d += `${i ? "L" : "M"}${x(i).toFixed(1)},${y(layer.upper[i]).toFixed(1)}`;
      for (let i = n - 1; i >= 0; i--) d += `L${x(i).toFixed(1)},${y(layer.lower[i]).toFixed(1)}`;
      el("path", { d: d + "Z", fill: layer.s.colour, stroke: "none" }, svg).appendChild(
        el("title", {}),
      ).textContent = layer.s.name;
    }
    const line = (values, fy, cls) => {
      let d = "";
      values.forEach((v, i) => (d += `${i ? "L" : "M"}${x(i).toFixed(1)},${fy(v).toFixed(1)}`));
      el("path", { d, class: cls, fill: "none" }, svg);
    };
    line(demand, y, "demand");
    line(price, yp, "price");
    for (let i = 0; i < n; i++) {
      const t = timeOf(first + i);
      if (t.getUTCHours() === 0 || i === 0) {
        el("line", { x1: x(i), x2: x(i), y1: TOP, y2: H - BOTTOM, class: "day" }, svg);
        if (x(i) < W - RIGHT - 40) {
          el("text", { x: x(i) + 3, y: H - BOTTOM + 16 }, svg).textContent = day(t).slice(5);
        }
      }
    }
    el("text", { x: 14, y: (H - BOTTOM) / 2, transform: `rotate(-90 14 ${(H - BOTTOM) / 2})`,
                 "text-anchor": "middle" }, svg).textContent = words["power [MW]"];
    el("text", { x: W - 10, y: (H - BOTTOM) / 2, transform: `rotate(90 ${W - 10} ${(H - BOTTOM) / 2})`,
                 "text-anchor": "middle", class: "price-tick" }, svg).textContent = words["price [CNY/MWh]"];
    const cursor = el("line", { x1: 0, x2: 0, y1: TOP, y2: H - BOTTOM, class: "cursor", visibility: "hidden" }, svg);
    svg.addEventListener("mousemove", (event) => {
      const box = svg.getBoundingClientRect();
      const px = ((event.clientX - box.left) / box.width) * W;
      const i = Math.max(0, Math.min(n - 1, Math.round(((px - LEFT) / (W - LEFT - RIGHT)) * (n - 1))));
      cursor.setAttribute("x1", x(i));
      cursor.setAttribute("x2", x(i));
      cursor.setAttribute("visibility", "visible");
      const rows = layers
        .map((l) => [l.s.name, l.s.sign * l.s.values[first + i]])
        .filter(([, v]) => Math.abs(v) >= 1)
        .map(([name, v]) => `<tr><td>${escapeHtml(name)}</td><td>${fmt(v)}</td></tr>`);
      tip.innerHTML =
        `<b>${stamp(timeOf(first + i))}</b><table>` +
        `<tr><td>${escapeHtml(words.demand)}</td><td>${fmt(demand[i])} MW</td></tr>` +
        `<tr><td>${escapeHtml(words.price)}</td><td>${fmt(price[i])} ${escapeHtml(words["CNY/MWh"])}</td></tr>${rows.join("")}</table>`;
      tip.hidden = false;
      const left = event.clientX - root.getBoundingClientRect().left;
      tip.style.left = `${Math.min(left + 16, root.clientWidth - tip.offsetWidth - 4)}px`;
      tip.style.top = `${event.clientY - root.getBoundingClientRect().top + 16}px`;
    });
    svg.addEventListener("mouseleave", () => {
      tip.hidden = true;
      cursor.setAttribute("visibility", "hidden");
    });
    chart.replaceChildren(svg);
    const title = words.week_label
      .replace("{n}", String(week + 1))
      .replace("{first}", day(timeOf(first)))
      .replace("{last}", day(timeOf(last - 1)));
    chart.setAttribute("aria-label", title);
    label.textContent = title;
    slider.value = String(week);
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  }

  function go(target) {
    const weeks = Math.ceil(data.hours / WEEK);
    week = Math.max(0, Math.min(weeks - 1, target));
    draw();
    select.value = data.presets.some((p) => p[1] === week) ? String(week) : "";
  }

  function legend() {
    const list = root.querySelector(".explorer-legend");
    const items = data.series.map((s) => [s.name, s.colour, "swatch"]);
    items.push([words.demand, "#000", "line"], [words.price, "#c0392b", "line dashed"]);
    for (const [name, colour, kind] of items) {
      const item = document.createElement("li");
      const mark = document.createElement("span");
      mark.className = kind;
      mark.style.setProperty("--colour", colour);
      item.append(mark, document.createTextNode(name));
      list.appendChild(item);
    }
  }

  unpack(document.getElementById("explorer-data").textContent)
    .then((unpacked) => {
      data = unpacked;
      slider.max = String(Math.ceil(data.hours / WEEK) - 1);
      slider.addEventListener("input", () => go(Number(slider.value)));
      root.querySelectorAll("button[data-step]").forEach((b) =>
        b.addEventListener("click", () => go(week + Number(b.dataset.step))),
      );
      for (const [name, target] of data.presets) {
        const option = document.createElement("option");
        option.value = String(target);
        option.textContent = name;
        select.appendChild(option);
      }
      select.addEventListener("change", () => {
        if (select.value !== "") go(Number(select.value));
      });
      legend();
      go(data.presets.length ? data.presets[0][1] : 0);
      root.dataset.ready = "true";
    })
    .catch((error) => {
      status.textContent = typeof DecompressionStream === "undefined" ? words.unsupported : String(error);
      root.dataset.ready = "failed";
    });
})();

// Printed (or saved as PDF), the page shows its folded sections too.
window.addEventListener("beforeprint", () => {
  document.querySelectorAll("details").forEach((d) => (d.open = true));
});

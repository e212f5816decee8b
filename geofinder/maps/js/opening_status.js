/* Opening statuses of a geofinder static map, shown as they are when a popup is opened.
 *
 * The timelines come from geofinder/maps/opening.py (JSON in the element #gf-opening): for each
 * place, pieces [start (UTC ms), state, next change, note] computed server-side up to a horizon.
 * Within the horizon the status is rebuilt here in the API's French wording; beyond it (or without
 * JavaScript) the popup keeps the status stamped with the render instant.
 *
 * The page's address may end with #place=<id> (open that place's popup) and/or
 * #at=<ISO 8601 instant> (statuses at that instant instead of now, within the horizon).
 */
function geofinderOpeningStatus(map, markers) {
  "use strict";
  var data = JSON.parse(document.getElementById("gf-opening").textContent);
  var DAY_MS = 86400000;

  function hashParam(name) {
    var match = new RegExp("(?:^#|&)" + name + "=([^&]*)").exec(window.location.hash);
    return match ? decodeURIComponent(match[1]) : null;
  }

  function currentInstant() {
    var at = hashParam("at");
    var parsed = at ? Date.parse(at) : NaN;
    return isNaN(parsed) ? Date.now() : parsed;
  }

  // Local days elapsed since the render day: the number of local midnights passed.
  function dayIndex(zone, instant) {
    var midnights = data.midnights[zone] || [];
    var index = 0;
    while (index < midnights.length && midnights[index] <= instant) index++;
    return index;
  }

  // change = [UTC ms, "HH:MM", weekday, "dd/mm"] (local to the place), as labels.when() says it.
  function when(zone, now, change) {
    var days = dayIndex(zone, change[0]) - dayIndex(zone, now);
    if (days <= 0) return "à " + change[1];
    if (days === 1) return "demain à " + change[1];
    if (days < 7) return change[2] + " à " + change[1];
    return "le " + change[3] + " à " + change[1];
  }

  function label(zone, piece, now) {
    var state = piece[1], change = piece[2], note = piece[3];
    if (note) return note;
    if (state === "open") {
      if (!change) return "Ouvert 24h/24";
      if (change[0] - now < DAY_MS) return "Ouvert · ferme à " + change[1];
      return "Ouvert · ferme " + when(zone, now, change);
    }
    if (state === "closed") return change ? "Fermé · ouvre " + when(zone, now, change) : "Fermé";
    return "Horaires inconnus";
  }

  function statusAt(placeId, now) {
    var position = data.places[placeId];
    if (position === undefined || now < data.computed || now >= data.until) return null;
    var timeline = data.timelines[position], found = null;
    for (var i = 0; i < timeline.p.length && timeline.p[i][0] <= now; i++) found = timeline.p[i];
    if (!found) return null;
    return {state: found[1], label: label(timeline.z, found, now), zone: timeline.z};
  }

  function formatInstant(instant, zone) {
    try {
      return new Date(instant).toLocaleString("fr-FR", {
        timeZone: zone, day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit"
      }).replace(" ", " à ");
    } catch (error) {
      return new Date(instant).toISOString();
    }
  }

  function refresh(container) {
    var now = currentInstant();
    var spans = container.querySelectorAll(".gf-status[data-place]");
    for (var i = 0; i < spans.length; i++) {
      var span = spans[i];
      var stamp = span.parentNode.querySelector(".gf-stamp");
      var status = statusAt(span.getAttribute("data-place"), now);
      if (status) {
        span.textContent = status.label;
        span.className = "gf-status gf-" + status.state;
        if (stamp) stamp.textContent = "statut au " + formatInstant(now, status.zone);
      } else if (stamp && data.places[span.getAttribute("data-place")] !== undefined && now >= data.until) {
        stamp.textContent = span.getAttribute("data-stamp") + " (horaires détaillés connus jusqu'au "
          + formatInstant(data.until, "Europe/Paris").split(" à ")[0] + ")";
      }
    }
  }

  map.on("popupopen", function (event) {
    refresh(event.popup.getElement());
  });

  var wanted = hashParam("place");
  if (wanted && Object.prototype.hasOwnProperty.call(markers, wanted)) {
    var marker = markers[wanted][0];
    map.setView(marker.getLatLng(), map.getMaxZoom() - 2, {animate: false});
    // A popup of its own: the marker may still be inside a cluster.
    map.openPopup(marker.getPopup().getContent(), marker.getLatLng());
  }
}

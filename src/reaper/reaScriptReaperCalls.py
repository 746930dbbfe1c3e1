# Part of the Studio Rig ReaScript: inserted into reaScript.template.py by reaScript.ts (not run alone).
# REAPER calls, each checked: a failure is a ReaperError naming the call, never a silent default.
# Conventions: out-parameters come back as a tuple (retval, arg1, ...); handles are "(Type*)0x..." strings.

class ReaperError(Exception):
    pass


def missing_api():
    return [name for name in REQUIRED_API if not callable(globals().get("RPR_" + name))]


def call(name, *args):
    """RPR_<name>(*args); an exception inside REAPER's API becomes a ReaperError naming the call."""
    try:
        return globals()["RPR_" + name](*args)
    except Exception as e:
        raise ReaperError("%s%r failed: %s" % (name, args, e))


def is_null(handle):
    """A null pointer as REAPER's Python gives it: None, 0, "" or "(MediaTrack*)0x0000000000000000"."""
    if not handle:
        return True
    if isinstance(handle, str) and "0x" in handle:
        return handle[handle.rfind("0x") + 2:].rstrip(")").strip("0") == ""
    return False


def out_value(result, index, what):
    """Out-parameters come back as a tuple (retval, arg1, ...); a false retval or a short tuple is a failure."""
    if not isinstance(result, (tuple, list)) or len(result) <= index or not result[0]:
        raise ReaperError("%s failed (returned %r)" % (what, result))
    return result[index]


def same_path(a, b):
    norm = lambda p: os.path.normcase(os.path.normpath(os.path.abspath(p)))
    return bool(a) and bool(b) and norm(a) == norm(b)


def open_project(rpp_path):
    if not os.path.isfile(rpp_path):
        raise ReaperError("rpp_path %s does not exist" % rpp_path)
    call("Main_openProject", rpp_path)
    got = call("EnumProjects", -1, "", 4096)
    opened = got[2] if isinstance(got, (tuple, list)) and len(got) > 2 else ""
    if not same_path(opened, rpp_path):
        raise ReaperError("REAPER did not open rpp_path %s (its current project is %s)" % (rpp_path, opened or "unsaved"))


def read_tracks():
    """[(track handle, [FX names])] for every track of the current project."""
    count = call("CountTracks", 0)
    if not isinstance(count, int) or count < 0:
        raise ReaperError("CountTracks returned %r" % (count,))
    tracks = []
    for t in range(count):
        track = call("GetTrack", 0, t)
        if is_null(track):
            raise ReaperError("GetTrack(0, %d) returned no track" % t)
        fx_count = call("TrackFX_GetCount", track)
        if not isinstance(fx_count, int) or fx_count < 0:
            raise ReaperError("TrackFX_GetCount(track %d) returned %r" % (t, fx_count))
        names = [out_value(call("TrackFX_GetFXName", track, fx, "", 512), 3, "TrackFX_GetFXName(track %d, fx %d)" % (t, fx)) for fx in range(fx_count)]
        tracks.append((track, names))
    return tracks


def fx_name_matches(found, expected):
    if found == expected:
        return True
    for prefix in FX_TYPE_PREFIXES:
        if found.startswith(prefix) and found[len(prefix):] == expected:
            return True
    return False


def fx_errors(tracks, expected_fx):
    errors = []
    for e in expected_fx:
        t, fx, want = e["track_index"], e["fx_index"], e["name"]
        found = tracks[t][1][fx] if 0 <= t < len(tracks) and 0 <= fx < len(tracks[t][1]) else None
        if found is None or not fx_name_matches(found, want):
            errors.append({"track_index": t, "fx_index": fx, "name": found, "expected": want})
    return errors


def track_at(tracks, index, field):
    if not (isinstance(index, int) and 0 <= index < len(tracks)):
        raise ReaperError("%s %r: the project has %d tracks" % (field, index, len(tracks)))
    return tracks[index][0]


def set_checked(name, *args):
    if not call(name, *args):
        raise ReaperError("%s%r returned false" % (name, args))


def apply_calibration(tracks, calibration):
    for k, c in enumerate(calibration):
        track = track_at(tracks, c["track_index"], "track_calibration[%d].track_index" % k)
        if c.get("volume") is not None:
            set_checked("SetMediaTrackInfo_Value", track, "D_VOL", float(c["volume"]))
        if c.get("pan") is not None:
            set_checked("SetMediaTrackInfo_Value", track, "D_PAN", float(c["pan"]))
        for j, send in enumerate(c.get("sends") or []):
            dest = track_at(tracks, send["dest_track_index"], "track_calibration[%d].sends[%d].dest_track_index" % (k, j))
            index = call("CreateTrackSend", track, dest)
            if not isinstance(index, int) or index < 0:
                raise ReaperError("CreateTrackSend(track %d, track %d) returned %r" % (c["track_index"], send["dest_track_index"], index))
            set_checked("SetTrackSendInfo_Value", track, 0, index, "D_VOL", float(send["level"]))


def project_string(key, value=None):
    """GetSetProjectInfo_String: sets `key` when a value is given, else reads it."""
    setting = value is not None
    got = call("GetSetProjectInfo_String", 0, key, value if setting else "", setting)
    return out_value(got, 3, "GetSetProjectInfo_String(%s)" % key)


def render(render_path):
    folder, name = os.path.split(render_path)
    stem = os.path.splitext(name)[0]
    if not os.path.isdir(folder):
        raise ReaperError("render_path folder %s does not exist" % folder)
    if os.path.exists(render_path):
        try:
            os.remove(render_path)  # an old file would pass for this render (and REAPER would ask before overwriting)
        except OSError as e:
            raise ReaperError("render_path %s cannot be replaced: %s" % (render_path, e))
    project_string("RENDER_FILE", folder)
    project_string("RENDER_PATTERN", stem)
    call("Main_OnCommand", RENDER_ACTION, 0)
    if not os.path.isfile(render_path):
        raise ReaperError("REAPER rendered nothing at render_path %s (is the project's render format %s?)" % (render_path, os.path.splitext(name)[1] or "right"))


def parse_render_stats(text):
    """(integrated, largest short-term) LUFS from RENDER_STATS' "KEY:value;..." list, None where absent.
    Its format is not documented in full: keys are compared without case, '-', '_' or spaces."""
    figures = {}
    for part in (text or "").split(";"):
        if ":" not in part:
            continue
        key, value = part.split(":", 1)
        key = key.strip().upper().replace("-", "").replace("_", "").replace(" ", "")
        try:
            figures[key] = float(value.strip().split()[0])
        except (ValueError, IndexError):
            pass
    pick = lambda keys: next((figures[k] for k in keys if k in figures), None)
    return pick(("LUFSI", "INTEGRATED", "INTEGRATEDLUFS")), pick(("LUFSSMAX", "SHORTTERMMAX", "LUFSS"))

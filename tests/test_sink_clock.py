"""The benchmarks' ear: the private sound server's sink dates every sample it plays. A sample
can never be heard before the stream that carries it started, whatever block length the sink
is using (it follows the latency its streams ask for: 23 ms idle, 2.5 ms for a 10 ms stream)."""

from __future__ import annotations

import time

import numpy as np

from app.bench import heard
from app.bench.sound_server import PrivatePulse

RATE = heard.RATE


def _heard_after_start_ms(pulse: PrivatePulse, noise: np.ndarray) -> float:
    """Open a 10 ms stream, wait 30 ms, start it: from the start to its first sample's time."""
    import rtmixer

    ring_data = np.zeros((1 << 16, 2), np.float32)
    ring = rtmixer.RingBuffer(8, buffer=ring_data)
    ring.write(np.ascontiguousarray(noise[: 1 << 15].astype(np.float32) / 32767.0))
    opened = time.monotonic()
    mixer = rtmixer.Mixer(samplerate=RATE, channels=2, latency=0.01,
                          prime_output_buffers_using_stream_callback=True)
    time.sleep(0.03)  # the sink takes the stream's latency meanwhile: its blocks shrink
    mixer.play_ringbuffer(ring)
    started = time.monotonic()
    mixer.start()
    pulse.wait_until_played(opened + 0.8)
    mixer.abort()
    mixer.close()
    at = pulse.frame_at(opened)
    found = heard.onset(heard.mono(pulse.segment(at, at + int(0.8 * RATE))), heard.mono(noise), 0,
                        lead_s=0.1)
    assert found is not None, "the stream was never heard"
    pulse.wait_until_played(time.monotonic() + 0.3)  # the sink idle again before the next one
    return (pulse.time_of(at + found[0]) - started) * 1000


def test_nothing_is_heard_before_its_stream_started(tmp_path):
    pulse = PrivatePulse(tmp_path / "pulse")
    try:
        pulse.use_in_this_process()
        pulse.start_time()
        noise = heard.noise_track(5, 1.0)
        delays = [_heard_after_start_ms(pulse, noise) for _ in range(4)]
        # Dated with one block length for the whole window, these came out ~17 ms early.
        assert min(delays) > -1.5, delays
        assert max(delays) < 100, delays  # and the stream is heard: within a few sink blocks
    finally:
        pulse.close()

"""How a server track becomes sound: the resolver that turns a track into the loopback proxy's
URL, the audio cache, the prefetcher that keeps the next tracks on disk, pins, the proxy."""

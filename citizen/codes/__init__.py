"""码上监督 codes: the registry of printed QR codes, scans, posters, the scan landing and the staff's code pages."""

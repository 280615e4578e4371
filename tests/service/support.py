"""What the service tests share: the agency that publishes SAPA (a user reads and acts on the
cases of their own agency only)."""

SAPA_AGENCY = "Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak"
MEDIASI_AGENCY = ("Dinas Pemberdayaan Perempuan, Perlindungan Anak dan Keluarga Berencana")

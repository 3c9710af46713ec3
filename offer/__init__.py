"""The school's SEN offer: SENCO designation and the SEN information report (domain.md 4 and 6)."""

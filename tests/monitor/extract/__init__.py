"""Tests of monitor.extract."""

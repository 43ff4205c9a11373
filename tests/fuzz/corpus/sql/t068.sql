SELECT y FROM tpi_view
